package signaling

// User identifies a person on the server.
type User struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// PresenceEntry is one line of a presence list.
type PresenceEntry struct {
	ID     string `json:"id"`
	Name   string `json:"name,omitempty"`
	Status Status `json:"status"`
}

// Candidate is an ICE candidate with the JSON field names of
// webrtc.ICECandidateInit, so the app can convert field by field.
type Candidate struct {
	Candidate        string  `json:"candidate"`
	SDPMid           *string `json:"sdpMid,omitempty"`
	SDPMLineIndex    *uint16 `json:"sdpMLineIndex,omitempty"`
	UsernameFragment *string `json:"usernameFragment,omitempty"`
}

// PolicyInfo is the payload of a policy message: the user's effective
// policy. The app's Settings switch follows E2EE; the call screen offers
// recording and captions only when they are allowed.
type PolicyInfo struct {
	Name string     `json:"name"`
	E2EE PolicyE2EE `json:"e2ee"`
	// Recording: the user may start recording a standard call.
	Recording bool `json:"recording,omitempty"`
	// Captions: the user may turn on live captions and transcription.
	Captions bool `json:"captions,omitempty"`
	// Transfer: the user may transfer standard calls and move them to
	// another of their devices; Park: park them and pick parked ones up.
	Transfer bool `json:"transfer,omitempty"`
	Park     bool `json:"park,omitempty"`
	// RetentionDays is how long the server keeps what the user records or
	// transcribes; 0 keeps it until deleted.
	RetentionDays int `json:"retention_days,omitempty"`
}

// PolicyE2EE is a policy's E2EE setting as sent on the wire.
type PolicyE2EE string

// E2EE settings (server/policy is the source of truth).
const (
	PolicyDisabled      PolicyE2EE = "Disabled"      // the switch is greyed out
	PolicyUserCanEnable PolicyE2EE = "UserCanEnable" // the user may turn E2EE on
)

// Allows reports whether the user may turn end-to-end encryption on.
func (e PolicyE2EE) Allows() bool { return e == PolicyUserCanEnable }

// ICEServer is one STUN/TURN server a client may use for calls, shaped like
// the browser's RTCIceServer. TURN credentials are time-limited (the TURN
// REST API convention: Username "<expiry>:<user id>"); Expires says when, in
// Unix seconds, and the server sends fresh ones before then.
type ICEServer struct {
	URLs       []string `json:"urls"`
	Username   string   `json:"username,omitempty"`
	Credential string   `json:"credential,omitempty"`
	Expires    int64    `json:"expires,omitempty"`
}

// ChatMessage is one stored chat message, as the server delivers it. ID and
// Sent are assigned by the server. To is the recipient; CallID is set too
// for in-call chat.
type ChatMessage struct {
	ID     string `json:"id"`
	From   string `json:"from"`
	To     string `json:"to,omitempty"`
	CallID string `json:"call_id,omitempty"`
	Text   string `json:"text"`
	Sent   int64  `json:"sent"` // Unix milliseconds
}

// RecordingInfo is the payload of a recording message: a recording of the
// call started (Active) or stopped. The app shows a red "Recording" label
// while one is active and a notice when it starts.
type RecordingInfo struct {
	ID      string `json:"id"`                // the recording, for download (GET /api/recordings/{id})
	Active  bool   `json:"active,omitempty"`  // true: recording now; false: stopped
	By      string `json:"by"`                // user id of who started (Active) or stopped it
	Name    string `json:"name,omitempty"`    // that user's display name
	Started int64  `json:"started,omitempty"` // Unix milliseconds
}

// ErrorInfo is the payload of an error message.
type ErrorInfo struct {
	Code    ErrorCode `json:"code"`
	Message string    `json:"message,omitempty"`
	Ref     string    `json:"ref,omitempty"` // ID of the offending message
}

// Message is the single envelope of every signaling message. Which optional
// fields a Type carries is listed with the Type constants and enforced by
// Decode and Encode.
type Message struct {
	Type   Type   `json:"type"`
	ID     string `json:"id,omitempty"`      // chosen by the sender, echoed in Error.Ref
	From   string `json:"from,omitempty"`    // set by the server on relayed messages
	To     string `json:"to,omitempty"`      // callee of an invite; optional check elsewhere
	CallID string `json:"call_id,omitempty"` // chosen by the caller, unique per live call

	User          *User           `json:"user,omitempty"`
	ServerVersion string          `json:"server_version,omitempty"`
	Users         []PresenceEntry `json:"users,omitempty"`
	E2EE          bool            `json:"e2ee,omitempty"` // sender can and wants end-to-end encryption
	// E2EECall is the sender's decision for the call: both sides chose
	// E2EE (accept: the callee's; offer: the caller's). The two must agree
	// before either side attaches media.
	E2EECall  bool         `json:"e2ee_call,omitempty"`
	Reason    Reason       `json:"reason,omitempty"`
	SDP       string       `json:"sdp,omitempty"`
	Candidate *Candidate   `json:"candidate,omitempty"`
	Data      []byte       `json:"data,omitempty"` // base64 in JSON
	Error     *ErrorInfo   `json:"error,omitempty"`
	Policy    *PolicyInfo  `json:"policy,omitempty"`
	Token     string       `json:"token,omitempty"`  // hello: session token, instead of the Authorization header
	Status    Status       `json:"status,omitempty"` // status: the user's chosen presence
	Text      string       `json:"text,omitempty"`   // chat from a client
	Ref       string       `json:"ref,omitempty"`    // chat-ack: the ID of the acknowledged chat
	Chat      *ChatMessage `json:"chat,omitempty"`
	Call      *CallRecord  `json:"call,omitempty"`     // call-record
	IDs       []string     `json:"ids,omitempty"`      // subscribe: user ids to watch
	All       bool         `json:"all,omitempty"`      // subscribe: every connected user (small organizations only)
	Protocol  int          `json:"protocol,omitempty"` // hello, welcome: ProtocolVersion of the sender
	// ICEServers replaces the client's list of STUN/TURN servers.
	ICEServers []ICEServer    `json:"ice_servers,omitempty"`
	Recording  *RecordingInfo `json:"recording,omitempty"` // recording: a call's recording started or stopped
	Media      *MediaState    `json:"media,omitempty"`     // media-state: the sender's mute and hold
	Read       *ChatRead      `json:"read,omitempty"`      // chat-read: a conversation's read mark
	// Group: the invite adds the callee to a call in progress (add-people);
	// the call is a standard one, through the media service.
	Group  bool          `json:"group,omitempty"`
	Roster []RosterEntry `json:"roster,omitempty"` // roster
	Held   bool          `json:"held,omitempty"`   // hold: on hold (false: resume)
	Muted  bool          `json:"muted,omitempty"`  // mute
	Merge  string        `json:"merge,omitempty"`  // merge, merged: the held call's id
	Video  *VideoState   `json:"video,omitempty"`  // media-video: the video the sender sends
	// MediaService: the welcome says the server has a media service, so
	// standard calls go through it (media-join).
	MediaService bool `json:"media_service,omitempty"`
	// Captions: turn a call's captions on or off (client), their state
	// (server); Caption: one line of live captions (server).
	Captions *CaptionsInfo `json:"captions,omitempty"`
	Caption  *Caption      `json:"caption,omitempty"`
	// Control: transfer, park, pickup, move-call and their notices
	// (callcontrol.go); in an invite, why it rings.
	Control *CallControl `json:"control,omitempty"`
}

// RosterEntry is one participant of a call through the media service.
type RosterEntry struct {
	ID       string `json:"id"`
	Name     string `json:"name,omitempty"`
	Speaking bool   `json:"speaking,omitempty"`
	Muted    bool   `json:"muted,omitempty"`
	Held     bool   `json:"held,omitempty"`   // this participant holds the call
	Camera   bool   `json:"camera,omitempty"` // sends camera video (media-video)
	Screen   bool   `json:"screen,omitempty"` // shares a screen (media-video)
}

// ProtocolVersion is the wire protocol this package speaks; hello and
// welcome carry it. Version 2 (issue 9) replaced the full presence list
// pushed to everyone on every change by subscriptions: a client sends
// subscribe with the ids it shows, gets one snapshot of them (presence with
// ref) and then only their changes (presence without ref, offline
// included). A peer that sends no protocol speaks version 1.
const ProtocolVersion = 2

// Err returns the message's error payload as a *ServerError, or nil when m is
// not an error message.
func (m *Message) Err() error {
	if m.Type != TypeError || m.Error == nil {
		return nil
	}
	return &ServerError{Code: m.Error.Code, Message: m.Error.Message, Ref: m.Error.Ref}
}
