package org

import (
	"context"
	"errors"

	"github.com/parley-voip/parley/server"
	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/captions"
	"github.com/parley-voip/parley/server/chat"
	"github.com/parley-voip/parley/server/policy"
	"github.com/parley-voip/parley/server/sfu"
	"github.com/parley-voip/parley/server/store"
)

// CaptionsOff as Config.CaptionsWorker turns live captions off.
const CaptionsOff = "off"

// openCaptions builds live captions over the organization's media
// service, policy, chat keys and database: the worker when installed, the
// sign-in availability notice, the transcript routes. It does not start
// them: a serving process does (StartCaptions), so one-shot commands
// (init, rotate-key) never run the recognizer.
func openCaptions(cfg Config, db *store.DB, acc *accounts.Service, cs *chat.Service, pol *policy.Service, media *sfu.Service, srv *server.Server) (*captions.Service, error) {
	log := cfg.Logger
	var worker string
	if cfg.CaptionsWorker != CaptionsOff {
		w, err := captions.FindWorker(cfg.CaptionsWorker)
		switch {
		case err == nil:
			worker = w
		case cfg.CaptionsWorker != "" || !errors.Is(err, captions.ErrNotInstalled):
			return nil, err
		default:
			log.Info("live captions unavailable", "reason", err)
		}
	}
	c, err := captions.New(captions.Config{
		Worker: worker, Media: media, Notifier: srv, Sealer: cs, DB: db.SQL(), Logger: log,
		Policy: func(ctx context.Context, userID string) (bool, int, error) {
			e, err := pol.Effective(ctx, userID)
			return e.Policy.AllowCaptions, e.Policy.RetentionDays, err
		},
	})
	if err != nil {
		return nil, err
	}
	if worker != "" {
		log.Info("live captions", "worker", worker)
	}
	srv.OnConnect(func(userID string) { srv.Notify(userID, c.Availability()) })
	h := acc.Middleware(c.Handler())
	srv.Mux().Handle("/api/transcripts", h)
	srv.Mux().Handle("/api/transcripts/", h)
	return c, nil
}

// StartCaptions runs the captions worker (when installed) and the hourly
// purge of expired transcripts until Shutdown; a serving process calls it
// once, beside starting the server.
func (o *Org) StartCaptions() { o.Captions.Start(context.Background()) }

// transcriptsOf is the server's view of the captions service built after
// it (the service needs the server to notify participants).
type transcriptsOf func() *captions.Service

func (f transcriptsOf) HasTranscript(ctx context.Context, callID, user string) (bool, error) {
	return f().HasTranscript(ctx, callID, user)
}
