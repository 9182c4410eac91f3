// Command parley-captions is the live-captions worker that parley-server
// starts and supervises: it reads speakers' Opus packets on stdin and writes
// their partial and final hypotheses on stdout (protocol: server/captions/wire),
// recognizing speech with CMU PocketSphinx. It needs cgo, libopus and
// libpocketsphinx, which is why it is a process of its own and parley-server
// stays pure Go. Diagnostics go to stderr.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"github.com/parley-voip/parley/media/speech"
)

func main() {
	model := flag.String("model", speech.ModelDir, "PocketSphinx model directory (en-us/, en-us.lm.bin, cmudict-en-us.dict)")
	maxSpeakers := flag.Int("max-speakers", DefaultMaxSpeakers, "speakers recognized at once")
	flag.Parse()
	out := bufio.NewWriter(os.Stdout)
	w := &worker{cfg: speech.DefaultConfig(*model), maxSpeakers: *maxSpeakers}
	err := w.serve(bufio.NewReader(os.Stdin), out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "parley-captions:", err)
		os.Exit(1)
	}
}
