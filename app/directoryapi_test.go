package app

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/parley-voip/parley/signaling"
)

func FuzzDecodeHistory(f *testing.F) {
	f.Add([]byte(`{"messages":[{"id":"42","from":"bob","to":"alice","text":"hi","sent":1700000000000},{"id":"41","from":"alice","to":"bob","call_id":"c1","text":"yo","sent":1}],"next_before":"41"}`))
	f.Add([]byte(`{"messages":[]}`))
	f.Add([]byte(`{"messages":[{"id":"x","from":"bob","to":"alice","text":"","sent":0}]}`))
	f.Add([]byte(`{"messages":[{"id":"1","from":"eve","to":"alice","text":"not ours","sent":0}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		msgs, next, err := decodeHistory(data, "alice", "bob")
		if err != nil {
			if !errors.Is(err, ErrBadAnswer) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		// Round trip: what the app understood, sent again, reads the same.
		a := historyAnswer{NextBefore: next, Messages: []signaling.ChatMessage{}}
		for _, m := range msgs {
			a.Messages = append(a.Messages, signaling.ChatMessage{ID: m.ID, From: m.From, To: m.To, CallID: m.CallID, Text: m.Text, Sent: m.Sent.UnixMilli()})
		}
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		again, next2, err := decodeHistory(b, "alice", "bob")
		if err != nil || next2 != next || len(again) != len(msgs) {
			t.Fatalf("round trip: %v, %q vs %q, %d vs %d", err, next2, next, len(again), len(msgs))
		}
		for i := range msgs {
			if !reflect.DeepEqual(msgs[i], again[i]) {
				t.Fatalf("message %d: %+v vs %+v", i, msgs[i], again[i])
			}
		}
	})
}

func FuzzDecodeDirectory(f *testing.F) {
	f.Add([]byte(`{"users":[{"id":"bob","display_name":"Bob","email":"b@x","presence":"busy"},{"id":"carol","display_name":"","presence":"offline"}]}`))
	f.Add([]byte(`{"users":[{"id":"","presence":"available"}]}`))
	f.Add([]byte(`{"users":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := decodeDirectory(data)
		if err != nil {
			if !errors.Is(err, ErrBadAnswer) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		a := directoryAnswer{}
		for _, c := range list {
			a.Users = append(a.Users, directoryEntry{ID: c.ID, DisplayName: c.Name, Presence: c.Presence.status()})
		}
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		again, err := decodeDirectory(b)
		if err != nil || len(again) != len(list) {
			t.Fatalf("round trip: %v", err)
		}
		for i := range list {
			if again[i] != list[i] {
				t.Fatalf("entry %d: %+v vs %+v", i, list[i], again[i])
			}
		}
	})
}

func TestDecodeHistoryRejectsOtherConversations(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"stranger":   `{"messages":[{"id":"1","from":"eve","to":"alice","text":"x","sent":0}]}`,
		"bad id":     `{"messages":[{"id":"1a","from":"bob","to":"alice","text":"x","sent":0}]}`,
		"bad cursor": `{"messages":[],"next_before":"-1"}`,
		"not json":   `<html>`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, _, err := decodeHistory([]byte(body), "alice", "bob"); !errors.Is(err, ErrBadAnswer) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}
