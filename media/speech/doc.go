// Package speech is a small cgo binding of CMU PocketSphinx (the Debian
// 0.8+5prealpha library, pkg-config name pocketsphinx): one continuous
// recognizer per audio stream, fed 16 kHz mono PCM, with the library's voice
// activity detector to cut utterances. The captions worker
// (cmd/parley-captions) is its only user; parley-server never links it.
//
// Build requirement: libpocketsphinx-dev and pkg-config; at run time the
// acoustic model, language model and dictionary of pocketsphinx-en-us.
package speech
