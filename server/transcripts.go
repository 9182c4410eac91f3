package server

import "context"

// Transcripts are the live captions' transcripts of calls; package
// captions implements it.
type Transcripts interface {
	// HasTranscript reports whether callID has a transcript user may
	// download, for the call's history entry.
	HasTranscript(ctx context.Context, callID, user string) (bool, error)
}

// WithTranscripts marks the history entries of calls whose transcript the
// user may download (GET /api/calls).
func WithTranscripts(t Transcripts) Option {
	return func(s *Server) { s.transcripts = t }
}
