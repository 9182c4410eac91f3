package org

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/parley-voip/parley/server"
	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/admin"
	"github.com/parley-voip/parley/server/calllog"
	"github.com/parley-voip/parley/server/captions"
	"github.com/parley-voip/parley/server/chat"
	"github.com/parley-voip/parley/server/natsbus"
	"github.com/parley-voip/parley/server/policy"
	"github.com/parley-voip/parley/server/recording"
	"github.com/parley-voip/parley/server/sfu"
	"github.com/parley-voip/parley/server/store"
	"github.com/parley-voip/parley/server/turn"
	"github.com/parley-voip/parley/signaling"
)

// RecordingsDir is where recordings are kept in the data directory.
const RecordingsDir = "recordings"

// SweepEvery is how often a serving organization deletes expired
// recordings (RunSweeper).
const SweepEvery = time.Hour

// RunSweeper deletes expired recordings now and every SweepEvery until
// ctx ends; a serving process runs it, one-shot commands do not.
func (o *Org) RunSweeper(ctx context.Context) { o.Recordings.Run(ctx, SweepEvery) }

// Org is an opened organization: its services and its (not yet started)
// server.
type Org struct {
	DB       *store.DB
	Accounts *accounts.Service
	Chat     *chat.Service
	Policies *policy.Service
	Media    *sfu.Service
	CallLog  *calllog.SQLStore
	// Recordings records standard calls on the media service.
	Recordings *recording.Service
	// Captions runs live captions and keeps their transcripts.
	Captions *captions.Service
	Server   *server.Server
	// TURN is the STUN/TURN service (built in, or credentials for an
	// external coturn); nil when Config.TURN is.
	TURN *turn.Server

	ice *iceService
	bus *natsbus.Bus // nil: one node
}

// Open opens (creating on first use) the organization in cfg.Dir and
// builds its server. Start the server with o.Server.Start; Close when done.
func Open(ctx context.Context, cfg Config) (o *Org, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	log := cfg.Logger

	db, err := store.Open(ctx, cfg.storeConfig())
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			db.Close()
		}
	}()
	acc, err := accounts.NewService(cfg.accountsConfig(accounts.NewSQLStore(db.SQL())))
	if err != nil {
		return nil, err
	}
	keys, err := chat.LoadKeyring(cfg.Dir, true)
	if err != nil {
		return nil, err
	}
	cs, err := chat.New(chat.Config{
		DB: db.SQL(), Keys: keys,
		Reload: func() (*chat.Keyring, error) { return chat.LoadKeyring(cfg.Dir, false) },
	})
	if err != nil {
		return nil, err
	}
	pol, err := policy.NewService(policy.Config{Store: policy.NewSQLStore(db.SQL()), Shared: cfg.NATS != "", Logger: log})
	if err != nil {
		return nil, err
	}
	if cfg.Local {
		if err := allowE2EEWhenNew(ctx, acc, pol); err != nil {
			return nil, err
		}
	}

	media, err := sfu.New(cfg.Media)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			media.Close()
		}
	}()
	var tapped recording.Media = media
	if cfg.RecordingMedia != nil {
		tapped = cfg.RecordingMedia
	}
	recs, err := recording.New(ctx, recording.Config{
		DB: db.SQL(), Dir: filepath.Join(cfg.Dir, RecordingsDir), Keys: keys,
		Reload: func() (*chat.Keyring, error) { return chat.LoadKeyring(cfg.Dir, false) },
		Media:  tapped, Policies: pol, Logger: log,
	})
	if err != nil {
		return nil, err
	}

	var capt *captions.Service // built once srv, its notifier, exists
	calls := calllog.NewSQLStore(db.SQL())
	opts := []server.Option{server.WithAccounts(acc), server.WithChat(cs), server.WithCallLog(calls),
		server.WithRecordings(recs), server.WithMedia(media), server.WithPolicies(pol),
		server.WithHandler(signaling.TypeCaptions, func(ctx context.Context, userID string, m *signaling.Message) error {
			return capt.Handle(ctx, userID, m)
		}),
		server.WithTranscripts(transcriptsOf(func() *captions.Service { return capt }))}
	if cfg.TLS != nil {
		opts = append(opts, server.WithTLS(*cfg.TLS))
	}
	if cfg.Local {
		opts = append(opts, server.WithAutoProvision())
	}
	var bus *natsbus.Bus
	if cfg.NATS != "" {
		if bus, err = natsbus.Dial(cfg.busConfig()); err != nil {
			return nil, err
		}
		defer func() {
			if err != nil {
				_ = bus.Close()
			}
		}()
		opts = append(opts, server.WithBus(bus))
	}
	srv, err := server.New(cfg.Server, opts...)
	if err != nil {
		return nil, err
	}

	// STUN/TURN servers, pushed at sign-in before the policy: a client
	// waits for the policy before its first call, so it has them by then.
	var ice *iceService
	if cfg.TURN != nil {
		tcfg := *cfg.TURN
		if tcfg.Logger == nil {
			tcfg.Logger = log
		}
		var ts *turn.Server
		if ts, err = turn.New(tcfg); err != nil {
			return nil, err
		}
		ice = startICE(ts, srv)
		defer func() {
			if err != nil {
				_ = ice.close()
			}
		}()
	}

	// Live policy: pushed at every sign-in and to everyone whose effective
	// policy an admin's change alters.
	pol.SetNotifier(pusher{srv})
	srv.OnConnect(func(userID string) {
		if err := pol.SignedIn(context.Background(), userID); err != nil {
			log.Warn("push policy at sign-in", "user", userID, "err", err)
		}
	})
	adm, err := admin.New(admin.Config{Policies: pol, Accounts: acc, SecureCookies: cfg.TLS != nil, Logger: log})
	if err != nil {
		return nil, err
	}
	adm.Register(srv.Mux())
	recs.Register(srv.Mux(), acc.Middleware)
	if capt, err = openCaptions(cfg, db, acc, cs, pol, media, srv); err != nil {
		return nil, err
	}

	o = &Org{DB: db, Accounts: acc, Chat: cs, Policies: pol, CallLog: calls, Recordings: recs, Captions: capt, Media: media, Server: srv, bus: bus}
	if ice != nil {
		o.TURN, o.ice = ice.turn, ice
	}
	return o, nil
}

// allowE2EEWhenNew sets a new local organization's Global policy to
// UserCanEnable. New means nobody has an account yet; after that the
// policy stays as its admin set it.
func allowE2EEWhenNew(ctx context.Context, acc *accounts.Service, pol *policy.Service) error {
	users, err := acc.Store().ListUsers(ctx, accounts.Query{Limit: 1})
	if err != nil {
		return fmt.Errorf("org: list users: %w", err)
	}
	if len(users) > 0 {
		return nil
	}
	g := policy.DefaultGlobal()
	g.E2EE = policy.UserCanEnable
	if err := pol.UpdatePolicy(ctx, g); err != nil {
		return fmt.Errorf("org: allow E2EE in the local organization: %w", err)
	}
	return nil
}

// Shutdown stops the server, the media service and the TURN service, then
// closes the store.
func (o *Org) Shutdown(ctx context.Context) error {
	err := o.Server.Shutdown(ctx)
	o.Captions.Close() // stores the transcripts of calls in progress
	err = errors.Join(err, o.Media.Close())
	if o.bus != nil {
		err = errors.Join(err, o.bus.Close())
	}
	if o.ice != nil {
		err = errors.Join(err, o.ice.close())
	}
	return errors.Join(err, o.DB.Close())
}

// pusher adapts the signaling server to policy.Notifier.
type pusher struct{ srv *server.Server }

func (p pusher) Online() []string { return p.srv.Online() }

func (p pusher) PushPolicy(userID string, e policy.Effective) {
	p.srv.Notify(userID, policy.Message(e))
}
