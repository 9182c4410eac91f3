package org_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/speech/speechtest"
	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/server/org/orgtest"
	"github.com/parley-voip/parley/signaling"
)

// TestCaptionsAuthorized: the organization tells a client at sign-in that
// captions are not installed; a user not in a call cannot turn its
// captions on; the transcript routes need a session and give another
// user's call nothing.
func TestCaptionsAuthorized(t *testing.T) {
	o := orgtest.Start(t, org.Config{CaptionsWorker: org.CaptionsOff})
	ctx := context.Background()
	if _, err := o.Accounts.CreateUser(ctx, accounts.NewUser{ID: "mallory", Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	s, err := o.Accounts.OpenSession(ctx, "mallory", "127.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	c, err := signaling.Dial(ctx, o.Server.URL(), signaling.User{ID: "mallory"}, signaling.WithToken(s.Token))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	recv := func(what string, ok func(*signaling.Message) bool) *signaling.Message {
		t.Helper()
		rctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		for {
			m, err := c.Recv(rctx)
			if err != nil {
				t.Fatalf("waiting for %s: %v", what, err)
			}
			if ok(m) {
				return m
			}
		}
	}
	a := recv("captions availability", func(m *signaling.Message) bool { return m.Type == signaling.TypeCaptions })
	if a.CallID != "" || a.Captions.State != signaling.CaptionsUnavailable || a.Captions.Reason != signaling.ReasonCaptionsNotInstalled {
		t.Fatalf("availability %+v", a.Captions)
	}
	if err := c.Send(ctx, &signaling.Message{Type: signaling.TypeCaptions, ID: "x1", CallID: "someone-elses", Captions: &signaling.CaptionsInfo{On: true}}); err != nil {
		t.Fatal(err)
	}
	e := recv("the refusal", func(m *signaling.Message) bool { return m.Type == signaling.TypeError })
	if e.Error.Code != signaling.CodeUnknownCall || e.Error.Ref != "x1" {
		t.Fatalf("refusal %+v", e.Error)
	}
	if err := c.Send(ctx, &signaling.Message{Type: signaling.TypeCaption, CallID: "c1", Caption: &signaling.Caption{Speaker: "alice", Text: "forged", Start: 1, End: 2}}); err != nil {
		t.Fatal(err)
	}
	if e := recv("the refusal of a forged caption", func(m *signaling.Message) bool { return m.Type == signaling.TypeError }); e.Error.Code != signaling.CodeNotAllowed {
		t.Fatalf("forged caption: %+v", e.Error)
	}

	get := func(token string) int {
		req, _ := http.NewRequest("GET", o.Server.BaseURL()+"/api/transcripts/someone-elses", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := get(""); code != http.StatusUnauthorized {
		t.Fatalf("unauthenticated: %d", code)
	}
	if code := get(s.Token); code != http.StatusNotFound {
		t.Fatalf("another user's call: %d", code)
	}
}

// TestCaptionsWorkerOnlyWhenServing: opening the organization (as the
// one-shot commands init and rotate-key do) runs no recognizer; starting
// captions, as serving does, runs the worker, and Shutdown ends it.
func TestCaptionsWorkerOnlyWhenServing(t *testing.T) {
	worker := speechtest.Worker(t)
	o, err := org.Open(context.Background(), org.Config{Dir: t.TempDir(), CaptionsWorker: worker, PasswordHash: orgtest.CheapHash})
	if err != nil {
		t.Fatal(err)
	}
	if !o.Captions.Installed() {
		t.Fatal("the worker was not found")
	}
	if pid := o.Captions.WorkerPID(); pid != 0 {
		t.Fatalf("opening the organization started the worker (pid %d)", pid)
	}
	o.StartCaptions()
	deadline := time.Now().Add(20 * time.Second)
	for o.Captions.WorkerPID() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("StartCaptions did not start the worker")
		}
		time.Sleep(20 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := o.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if pid := o.Captions.WorkerPID(); pid != 0 {
		t.Fatalf("worker %d still running after Shutdown", pid)
	}
}
