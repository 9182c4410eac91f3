package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/parley-voip/parley/signaling"
)

// Limits of what the app asks the directory and history endpoints for;
// the server caps them at 500 and 200.
const (
	directoryLimit = 500
	historyPage    = 50
	// maxQuery is the server's limit on ?q=.
	maxQuery = 128
)

type directoryEntry struct {
	ID          string           `json:"id"`
	DisplayName string           `json:"display_name"`
	Email       string           `json:"email,omitempty"`
	Presence    signaling.Status `json:"presence"`
}

type directoryAnswer struct {
	Users []directoryEntry `json:"users"`
}

type historyAnswer struct {
	Messages   []signaling.ChatMessage `json:"messages"`
	NextBefore string                  `json:"next_before,omitempty"`
}

// decodeDirectory parses GET /api/users (the body is already bounded by
// maxAPIResponse).
func decodeDirectory(data []byte) ([]Contact, error) {
	var a directoryAnswer
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("%w: directory: %w", ErrBadAnswer, err)
	}
	out := make([]Contact, 0, len(a.Users))
	for i, u := range a.Users {
		if u.ID == "" {
			return nil, fmt.Errorf("%w: directory entry %d has no id", ErrBadAnswer, i)
		}
		out = append(out, Contact{ID: u.ID, Name: u.DisplayName, Presence: presenceOf(u.Presence)})
	}
	return out, nil
}

// decodeHistory parses GET /api/chats/{peer}/messages as seen by me; every
// message must belong to the conversation of me and peer.
func decodeHistory(data []byte, me, peer string) ([]ChatMessage, string, error) {
	var a historyAnswer
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, "", fmt.Errorf("%w: history: %w", ErrBadAnswer, err)
	}
	if a.NextBefore != "" {
		if _, err := strconv.ParseUint(a.NextBefore, 10, 64); err != nil {
			return nil, "", fmt.Errorf("%w: history cursor %q", ErrBadAnswer, a.NextBefore)
		}
	}
	out := make([]ChatMessage, 0, len(a.Messages))
	for _, m := range a.Messages {
		if _, err := strconv.ParseUint(m.ID, 10, 64); err != nil {
			return nil, "", fmt.Errorf("%w: message id %q", ErrBadAnswer, m.ID)
		}
		if !(m.From == me && m.To == peer || m.From == peer && m.To == me) {
			return nil, "", fmt.Errorf("%w: message %s is not between %s and %s", ErrBadAnswer, m.ID, me, peer)
		}
		out = append(out, fromWire(m, me))
	}
	return out, a.NextBefore, nil
}

// users searches the organization's directory.
func (a orgAPI) users(ctx context.Context, token, query string) ([]Contact, error) {
	v := url.Values{"limit": {strconv.Itoa(directoryLimit)}}
	if query != "" {
		v.Set("q", query)
	}
	var raw json.RawMessage
	if err := a.do(ctx, http.MethodGet, "/api/users?"+v.Encode(), token, nil, &raw); err != nil {
		return nil, fmt.Errorf("directory: %w", err)
	}
	return decodeDirectory(raw)
}

// history fetches one page of my conversation with peer: messages with ids
// below before ("" for the newest), newest first, and the next cursor.
func (a orgAPI) history(ctx context.Context, token, me, peer, before string) ([]ChatMessage, string, error) {
	v := url.Values{"limit": {strconv.Itoa(historyPage)}}
	if before != "" {
		v.Set("before", before)
	}
	var raw json.RawMessage
	path := "/api/chats/" + url.PathEscape(peer) + "/messages?" + v.Encode()
	if err := a.do(ctx, http.MethodGet, path, token, nil, &raw); err != nil {
		return nil, "", fmt.Errorf("chat history with %s: %w", peer, err)
	}
	return decodeHistory(raw, me, peer)
}

// apiTimeout bounds one directory or history request.
const apiTimeout = 15 * time.Second
