package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"unicode/utf8"

	"github.com/parley-voip/parley/api"
	"github.com/parley-voip/parley/signaling"
)

// maxTranscript bounds a downloaded transcript: the server keeps at most
// signaling.MaxTranscriptText bytes of caption text in
// MaxTranscriptLines lines, and each line adds its time and name.
const maxTranscript = signaling.MaxTranscriptText + signaling.MaxTranscriptLines*(16+signaling.MaxNameLen)

// Transcript downloads the transcript of call callID (a CallRecord with
// Transcript set) as text: one "[hh:mm:ss] Name: text" line per caption.
// Only the call's participants get it; anyone else gets an error as if
// there were none. Do not call it from a Listener method.
func (c *Client) Transcript(ctx context.Context, callID string) (string, error) {
	if callID == "" || len(callID) > signaling.MaxIDLen {
		return "", fmt.Errorf("%w: transcript: call id", ErrBadAnswer)
	}
	a, token, err := c.cfg.apiSession(ctx)
	if err != nil {
		return "", err
	}
	ac := api.Client{Base: a.base.String(), Token: token, HTTP: a.hc, MaxResponse: maxTranscript + 1}
	b, err := ac.Do(ctx, http.MethodGet, "/api/transcripts/"+url.PathEscape(callID)+"?format=text", nil, nil)
	switch {
	case err != nil:
		return "", fmt.Errorf("transcript: %w", err)
	case len(b) > maxTranscript:
		return "", fmt.Errorf("%w: transcript longer than %d bytes", ErrBadAnswer, maxTranscript)
	case !utf8.Valid(b):
		return "", fmt.Errorf("%w: transcript is not UTF-8", ErrBadAnswer)
	}
	return string(b), nil
}

// Transcript downloads a call's transcript (Client.Transcript).
func (s *Softphone) Transcript(ctx context.Context, callID string) (string, error) {
	c := s.client.Load()
	if c == nil {
		return "", ErrClosed
	}
	return c.Transcript(ctx, callID)
}
