package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parley-voip/parley/media"
	"github.com/parley-voip/parley/signaling"
)

// Client is one signed-in user of Parley: its server link, its directory
// view and at most one call. All state is owned by one goroutine (Run's);
// the action methods post work to it, so the UI and the network never race.
type Client struct {
	cfg Config
	log *slog.Logger

	work    chan func()
	stopped chan struct{}
	once    sync.Once

	// Owned by the Run goroutine.
	ctx    context.Context
	conn   SignalConn
	engine *media.Engine
	// ringer plays the ringtone on the output chosen for it (ring.go).
	ringer media.Ringer
	// meters is engine, published for the UI's level meters, which read it
	// from their own goroutine.
	meters   atomic.Pointer[media.Engine]
	contacts map[string]Contact
	call     *call
	// policy is the server's word on E2EE; until it speaks, E2EE is not
	// allowed (DESIGN.md: off unless an admin allows it).
	policy      Policy
	policyKnown bool
	pendingDial string // a dial waiting for the policy (whenPolicyKnown)
	// policyWaiters run once the policy is known (whenPolicyKnown).
	policyWaiters []func()
	// guardWarned: the user was told that the policy blocks every call
	// under "only E2EE" (policyChanged).
	guardWarned bool
	msgSeq      uint64
	recordReq   string // id of the last record-start/stop, to match a refusal
	subSeq      uint64 // presence subscriptions sent (presence.go)
	// ctlReqs are the control requests sent and not yet answered
	// (callcontrol.go); elsewhere: this user's own presence says they are
	// in a call, on a device that is not this one (presence.go).
	ctlReqs    map[string]controlRequest
	elsewhere  bool
	ownStatus  signaling.Status
	subRef     string                // id of the last one; its snapshot carries it as ref
	heldCall   *call                 // the call in progress when the link was lost (resume.go)
	iceServers []signaling.ICEServer // handed out by the server (setICEServers)
	mediaSvc   bool                  // the server has a media service (callservice.go)
	aside      *call                 // a standard call this user holds while in another (callservice.go)

	captions captionsServer // what the server said about live captions (captions.go)

	// Kept across reconnects (adopt): conversations and the directory.
	book *chatBook
	dir  *directory

	// Missed calls not yet seen (callhistory.go): their record ids, the
	// newest one's start, and their count for any goroutine. Kept across
	// reconnects.
	missed       map[string]bool
	newestMissed time.Time
	unseenMissed atomic.Int32
}

// NewClient checks cfg; Run connects.
func NewClient(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	return &Client{
		cfg:      cfg,
		log:      cfg.Logger.With("user", cfg.Me.ID),
		work:     make(chan func(), 64),
		stopped:  make(chan struct{}),
		contacts: map[string]Contact{},
		book:     newChatBook(cfg.Me.ID, cfg.Listener.ChatChanged),
		dir:      &directory{},
		missed:   map[string]bool{},
	}, nil
}

// Me is the signed-in user.
func (c *Client) Me() Contact { return c.cfg.Me }

// Run signs in and serves until ctx ends or the server link drops; it
// returns why. The audio device runs only while a call rings or is up.
func (c *Client) Run(ctx context.Context) error {
	defer c.once.Do(func() { close(c.stopped) })
	// Whatever still waits for an acknowledgement is failed (and sent
	// again by the next link): the link that carried it is gone.
	defer c.book.linkDown()
	engine, err := media.NewEngine(media.Config{Device: c.cfg.Device, Logger: c.log, OnDeviceEvent: c.deviceEvent})
	if err != nil {
		return fmt.Errorf("audio engine: %w", err)
	}
	engine.SetEchoCancellation(c.cfg.Settings.EchoCancellation())
	engine.SetNoiseSuppression(c.cfg.Settings.NoiseSuppression())
	// The device starts when a call starts ringing (audioOn) and stops
	// when it ends (audioOff): an idle app does no audio work at all.
	defer engine.Close()
	defer c.ringer.Stop()
	c.engine = engine
	c.meters.Store(engine)
	defer c.meters.Store(nil)

	conn, err := c.cfg.Dial(ctx, c.cfg.ServerURL, signaling.User{ID: c.cfg.Me.ID, Name: c.cfg.Me.Name})
	if err != nil {
		err = fmt.Errorf("sign in to %s: %w", c.cfg.ServerURL, err)
		c.cfg.Listener.Connected(c.cfg.Me, err)
		return err
	}
	c.conn = conn
	c.noteWelcome(conn)
	defer func() { _ = c.conn.Close() }() // the last link: a resume may have replaced it
	c.ctx = ctx
	c.cfg.Listener.Connected(c.cfg.Me, nil)
	c.linkUp()

	in, readErr := c.receive(ctx, conn)
	var relinked <-chan SignalConn
	var lost error // why the link went, while a call waits for it
	for {
		select {
		case <-ctx.Done():
			c.hangup()
			return ctx.Err()
		case err := <-readErr:
			if ctx.Err() != nil { // the reader saw the same ending first
				c.hangup()
				return ctx.Err()
			}
			err = fmt.Errorf("server link: %w", err)
			if c.callInProgress() && !signedOut(err) {
				// The call's media does not need the server: keep it and
				// get the link back (resume.go).
				lost, in, readErr = err, nil, nil
				c.heldCall = c.call
				relinked = c.relink(ctx, lost)
				continue
			}
			c.linkGone()
			c.cfg.Listener.Connected(c.cfg.Me, err)
			return err
		case next := <-relinked:
			relinked = nil
			if next == nil { // the window closed or the server refused
				c.linkGone()
				c.cfg.Listener.Connected(c.cfg.Me, lost)
				return lost
			}
			_ = c.conn.Close()
			c.conn = next
			c.noteWelcome(next)
			in, readErr = c.receive(ctx, next)
			c.resumeCall()
			c.linkUp()
			c.heldCall = nil
		case m := <-in:
			c.handle(m)
		case f := <-c.work:
			f()
		}
	}
}

// receive reads conn on its own goroutine until it fails.
func (c *Client) receive(ctx context.Context, conn SignalConn) (<-chan *signaling.Message, <-chan error) {
	in := make(chan *signaling.Message, 16)
	readErr := make(chan error, 1)
	go func() {
		for {
			m, err := conn.Recv(ctx)
			if err != nil {
				readErr <- err
				return
			}
			select {
			case in <- m:
			case <-ctx.Done():
				return
			}
		}
	}()
	return in, readErr
}

// post runs f on the Run goroutine; false once the Client has stopped.
func (c *Client) post(f func()) bool {
	select {
	case c.work <- f:
		return true
	case <-c.stopped:
		return false
	}
}

// SetMuted mutes or unmutes the microphone in the current call.
func (c *Client) SetMuted(on bool) {
	c.post(func() {
		if c.call == nil || c.step(c.call, evMute) != nil {
			return
		}
		c.call.info.Muted = on
		c.applyMediaState(c.call)
		c.serviceMuted(on)
	})
}

func (c *Client) send(m *signaling.Message) {
	if m.ID == "" { // chat messages bring their own, for the chat-ack
		c.msgSeq++
		m.ID = fmt.Sprintf("%s-%d", c.cfg.Me.ID, c.msgSeq)
	}
	// Not c.ctx: the last hangup must still go out while Run is stopping.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.conn.Send(ctx, m); err != nil && !errors.Is(err, context.Canceled) {
		c.log.Warn("send failed", "type", m.Type, "err", err)
	}
}

func (c *Client) handle(m *signaling.Message) {
	switch m.Type {
	case signaling.TypePresence:
		c.updatePresence(m)
	case signaling.TypePolicy:
		if m.Policy != nil {
			c.policyChanged(Policy{Name: m.Policy.Name, E2EEAllowed: m.Policy.E2EE.Allows(),
				RecordingAllowed: m.Policy.Recording, CaptionsAllowed: m.Policy.Captions,
				TransferAllowed: m.Policy.Transfer, ParkAllowed: m.Policy.Park,
				RetentionDays: m.Policy.RetentionDays})
		}
	case signaling.TypeICEServers:
		c.setICEServers(m.ICEServers)
	case signaling.TypeChat:
		c.handleChat(m)
	case signaling.TypeChatAck:
		c.handleChatAck(m)
	case signaling.TypeChatRead:
		c.handleChatRead(m)
	case signaling.TypeCallRecord:
		c.handleCallRecord(m)
	case signaling.TypeRecording:
		c.handleRecording(m)
	case signaling.TypeCaptions:
		c.handleCaptions(m)
	case signaling.TypeCaption:
		c.handleCaption(m)
	case signaling.TypeCallControl:
		c.handleCallControl(m)
	case signaling.TypeError:
		if c.chatFailed(m) || c.subscribeRefused(m) || c.recordingRefused(m) || c.captionsFailed(m) || c.controlRefused(m) {
			return // about a chat message or the subscription, not the call
		}
		c.handleServerError(m)
	default:
		if m.Type.IsMediaMessage() {
			c.handleMediaMessage(m)
			return
		}
		if m.Type.IsCallMessage() {
			if c.forHeldCall(m) {
				return
			}
			c.handleCallMessage(m)
			return
		}
		c.log.Debug("ignoring message", "type", m.Type)
	}
}
