package signaling

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// field is a bit per optional envelope field, used to check per type which
// fields may and must be present.
type field uint64

const (
	fFrom field = 1 << iota
	fTo
	fCallID
	fUser
	fServerVersion
	fUsers
	fE2EE
	fReason
	fSDP
	fCandidate
	fData
	fError
	fPolicy
	fToken
	fStatus
	fText
	fRef
	fChat
	fE2EECall
	fCall
	fIDs
	fAll
	fProtocol
	fICEServers
	fRecording
	fMedia
	fGroup
	fRoster
	fHeld
	fMuted
	fMerge
	fMediaService
	fRead
	fVideo
	fCaptions
	fCaption
	fControl

	lastField = fControl
)

var fieldNames = map[field]string{
	fFrom: "from", fTo: "to", fCallID: "call_id", fUser: "user",
	fServerVersion: "server_version", fUsers: "users", fE2EE: "e2ee",
	fReason: "reason", fSDP: "sdp", fCandidate: "candidate", fData: "data",
	fError: "error", fPolicy: "policy", fToken: "token", fStatus: "status",
	fText: "text", fRef: "ref", fChat: "chat", fE2EECall: "e2ee_call",
	fCall: "call", fRecording: "recording",
	fIDs: "ids", fAll: "all", fProtocol: "protocol",
	fICEServers: "ice_servers",
	fMedia:      "media",
	fGroup:      "group", fRoster: "roster", fHeld: "held", fMuted: "muted", fMerge: "merge",
	fMediaService: "media_service",
	fRead:         "read",
	fVideo:        "video",
	fCaptions:     "captions",
	fCaption:      "caption",
	fControl:      "control",
}

type rule struct{ allowed, required field }

// fieldRules lists, per type, the fields it may carry and those it must.
// ID is allowed everywhere. From is allowed on every relayed type because the
// server sets it; To is allowed on call messages so a client may name the
// peer it expects (the server checks it).
var fieldRules = map[Type]rule{
	TypeHello:        {allowed: fUser | fToken | fProtocol}, // all optional: the token may be in the upgrade request
	TypeWelcome:      {allowed: fUser | fServerVersion | fProtocol | fMediaService, required: fUser},
	TypePresence:     {allowed: fUsers | fRef},
	TypeSubscribe:    {allowed: fIDs | fAll}, // neither: watch nobody
	TypeResume:       {allowed: fCallID | fTo, required: fCallID | fTo},
	TypeInvite:       {allowed: fFrom | fTo | fCallID | fE2EE | fGroup | fControl, required: fTo | fCallID},
	TypeRinging:      {allowed: fFrom | fTo | fCallID, required: fCallID},
	TypeAccept:       {allowed: fFrom | fTo | fCallID | fE2EE | fE2EECall, required: fCallID},
	TypeDecline:      {allowed: fFrom | fTo | fCallID | fReason, required: fCallID},
	TypeOffer:        {allowed: fFrom | fTo | fCallID | fSDP | fE2EECall, required: fCallID | fSDP},
	TypeProceed:      {allowed: fFrom | fTo | fCallID | fE2EECall, required: fCallID},
	TypeAnswer:       {allowed: fFrom | fTo | fCallID | fSDP, required: fCallID | fSDP},
	TypeCandidate:    {allowed: fFrom | fTo | fCallID | fCandidate, required: fCallID | fCandidate},
	TypeKeyAgreement: {allowed: fFrom | fTo | fCallID | fData, required: fCallID | fData},
	TypeHangup:       {allowed: fFrom | fTo | fCallID | fReason, required: fCallID},
	TypeError:        {allowed: fCallID | fError, required: fError},
	TypePolicy:       {allowed: fPolicy, required: fPolicy},
	TypeStatus:       {allowed: fStatus, required: fStatus},
	TypeChat:         {allowed: fTo | fCallID | fText | fChat}, // client or server form: checked in validateShape
	TypeChatAck:      {allowed: fRef | fChat, required: fRef | fChat},
	TypeCallRecord:   {allowed: fCall, required: fCall},
	TypeICEServers:   {allowed: fICEServers, required: fICEServers},
	TypeRecordStart:  {allowed: fCallID, required: fCallID},
	TypeRecordStop:   {allowed: fCallID, required: fCallID},
	TypeRecording:    {allowed: fCallID | fRecording, required: fCallID | fRecording},
	TypeMediaState:   {allowed: fFrom | fTo | fCallID | fMedia, required: fCallID | fMedia},

	TypeMediaJoin:      {allowed: fCallID, required: fCallID},
	TypeMediaOffer:     {allowed: fCallID | fSDP, required: fCallID | fSDP},
	TypeMediaAnswer:    {allowed: fCallID | fSDP, required: fCallID | fSDP},
	TypeMediaCandidate: {allowed: fCallID | fCandidate, required: fCallID | fCandidate},
	TypeRoster:         {allowed: fCallID | fRoster, required: fCallID},
	TypeHold:           {allowed: fCallID | fHeld, required: fCallID},
	TypeMute:           {allowed: fCallID | fMuted, required: fCallID},
	TypeMediaVideo:     {allowed: fCallID | fVideo, required: fCallID | fVideo},
	TypeAddPeople:      {allowed: fCallID | fIDs, required: fCallID | fIDs},
	TypeMerge:          {allowed: fCallID | fMerge, required: fCallID | fMerge},
	TypeMerged:         {allowed: fCallID | fMerge, required: fCallID | fMerge},
	TypeCaptions:       {allowed: fCallID | fCaptions, required: fCaptions}, // client form needs call_id: validateCaptions
	TypeCaption:        {allowed: fCallID | fCaption, required: fCallID | fCaption},
	TypeChatRead:       {allowed: fTo | fRead, required: fTo | fRead},

	TypeTransfer:    {allowed: fCallID | fControl, required: fCallID | fControl},
	TypePark:        {allowed: fCallID, required: fCallID},
	TypePickup:      {allowed: fControl, required: fControl},
	TypeMoveCall:    {allowed: fControl}, // no control: take the call over
	TypeCallControl: {allowed: fCallID | fControl, required: fCallID | fControl},
}

func (m *Message) present() field {
	var f field
	set := func(ok bool, b field) {
		if ok {
			f |= b
		}
	}
	set(m.From != "", fFrom)
	set(m.To != "", fTo)
	set(m.CallID != "", fCallID)
	set(m.User != nil, fUser)
	set(m.ServerVersion != "", fServerVersion)
	set(len(m.Users) > 0, fUsers)
	set(m.E2EE, fE2EE)
	set(m.Reason != "", fReason)
	set(m.SDP != "", fSDP)
	set(m.Candidate != nil, fCandidate)
	set(len(m.Data) > 0, fData)
	set(m.Error != nil, fError)
	set(m.Policy != nil, fPolicy)
	set(m.Token != "", fToken)
	set(m.Status != "", fStatus)
	set(m.Text != "", fText)
	set(m.Ref != "", fRef)
	set(m.Media != nil, fMedia)
	set(m.Chat != nil, fChat)
	set(m.E2EECall, fE2EECall)
	set(m.Call != nil, fCall)
	set(len(m.IDs) > 0, fIDs)
	set(m.All, fAll)
	set(m.Protocol != 0, fProtocol)
	set(len(m.ICEServers) > 0, fICEServers)
	set(m.Recording != nil, fRecording)
	set(m.Group, fGroup)
	set(len(m.Roster) > 0, fRoster)
	set(m.Held, fHeld)
	set(m.Muted, fMuted)
	set(m.Merge != "", fMerge)
	set(m.MediaService, fMediaService)
	set(m.Read != nil, fRead)
	set(m.Video != nil, fVideo)
	set(m.Captions != nil, fCaptions)
	set(m.Caption != nil, fCaption)
	set(m.Control != nil, fControl)
	return f
}

// Validate checks m against the rules of its type: known type, required
// fields present, foreign fields absent, every value within its limits.
func (m *Message) Validate() error {
	r, ok := fieldRules[m.Type]
	if !ok {
		if m.Type == "" {
			return &FieldError{Type: m.Type, Field: "type", Err: ErrMissingField}
		}
		return ErrUnknownType
	}
	p := m.present()
	for b := field(1); b != 0 && b <= lastField; b <<= 1 {
		switch {
		case r.required&b != 0 && p&b == 0:
			return &FieldError{Type: m.Type, Field: fieldNames[b], Err: ErrMissingField}
		case r.allowed&b == 0 && p&b != 0:
			return &FieldError{Type: m.Type, Field: fieldNames[b], Err: ErrFieldNotAllowed}
		}
	}
	v := validator{t: m.Type}
	m.validateShape(&v, p)
	v.id("id", m.ID)
	v.id("from", m.From)
	v.id("to", m.To)
	v.id("call_id", m.CallID)
	if m.User != nil {
		v.user("user", *m.User)
	}
	v.text("server_version", m.ServerVersion, MaxVersionLen)
	v.token("reason", string(m.Reason), MaxReasonLen)
	v.length("sdp", len(m.SDP), MaxSDPLen)
	v.length("data", len(m.Data), MaxDataLen)
	if len(m.Users) > MaxPresenceUsers {
		v.fail("users", ErrFieldTooLong)
	}
	for i, u := range m.Users {
		if v.err != nil {
			break
		}
		name := "users[" + strconv.Itoa(i) + "]"
		v.user(name, User{ID: u.ID, Name: u.Name})
		if !u.Status.valid() {
			v.fail(name+".status", ErrInvalidField)
		}
	}
	if c := m.Candidate; c != nil {
		v.text("candidate.candidate", c.Candidate, MaxCandidateLen)
		if c.SDPMid != nil {
			v.text("candidate.sdpMid", *c.SDPMid, MaxMidLen)
		}
		if c.UsernameFragment != nil {
			v.text("candidate.usernameFragment", *c.UsernameFragment, MaxMidLen)
		}
	}
	v.text("token", m.Token, MaxTokenLen)
	if m.Status != "" && !m.Status.valid() {
		v.fail("status", ErrInvalidField)
	}
	v.text("text", m.Text, MaxChatTextLen)
	v.id("ref", m.Ref)
	if len(m.IDs) > MaxSubscribeIDs {
		v.fail("ids", ErrFieldTooLong)
	}
	for i, id := range m.IDs {
		if v.err != nil {
			break
		}
		name := "ids[" + strconv.Itoa(i) + "]"
		if id == "" {
			v.fail(name, ErrMissingField)
		}
		v.id(name, id)
	}
	v.id("merge", m.Merge)
	if len(m.Roster) > MaxRoster {
		v.fail("roster", ErrFieldTooLong)
	}
	for i, r := range m.Roster {
		if v.err != nil {
			break
		}
		v.user("roster["+strconv.Itoa(i)+"]", User{ID: r.ID, Name: r.Name})
	}
	if m.Type == TypeAddPeople && len(m.IDs) > MaxAddPeople {
		v.fail("ids", ErrFieldTooLong)
	}
	if m.Protocol < 0 {
		v.fail("protocol", ErrInvalidField)
	}
	if c := m.Chat; c != nil {
		v.id("chat.id", c.ID)
		v.id("chat.from", c.From)
		v.id("chat.to", c.To)
		v.id("chat.call_id", c.CallID)
		v.text("chat.text", c.Text, MaxChatTextLen)
		switch {
		case c.ID == "" || c.From == "" || c.Text == "":
			v.fail("chat", ErrMissingField)
		case c.To == "" && c.CallID == "":
			v.fail("chat", ErrInvalidField)
		case c.Sent < 0:
			v.fail("chat.sent", ErrInvalidField)
		}
	}
	if m.Call != nil {
		v.callRecord(m.Call)
	}
	if e := m.Error; e != nil {
		if e.Code == "" {
			v.fail("error.code", ErrMissingField)
		}
		v.token("error.code", string(e.Code), MaxReasonLen)
		v.text("error.message", e.Message, MaxErrorTextLen)
		v.id("error.ref", e.Ref)
	}
	if r := m.Recording; r != nil {
		v.id("recording.id", r.ID)
		if r.ID == "" {
			v.fail("recording.id", ErrMissingField)
		}
		v.id("recording.by", r.By)
		if r.By == "" {
			v.fail("recording.by", ErrMissingField)
		}
		v.text("recording.name", r.Name, MaxNameLen)
		if r.Started < 0 {
			v.fail("recording.started", ErrInvalidField)
		}
	}
	if p := m.Policy; p != nil {
		if p.Name == "" {
			v.fail("policy.name", ErrMissingField)
		}
		v.text("policy.name", p.Name, MaxPolicyNameLen)
		if p.E2EE != PolicyDisabled && p.E2EE != PolicyUserCanEnable {
			v.fail("policy.e2ee", ErrInvalidField)
		}
		if p.RetentionDays < 0 || p.RetentionDays > MaxRetentionDays {
			v.fail("policy.retention_days", ErrInvalidField)
		}
	}
	if r := m.Read; r != nil {
		v.messageID("read.up_to", r.UpTo)
		if r.Unread < 0 || r.Unread > MaxChatUnread {
			v.fail("read.unread", ErrInvalidField)
		}
	}
	if c := m.Control; c != nil {
		v.callControl(m.Type, c)
	}
	v.iceServers(m.ICEServers)
	m.validateCaptions(&v)
	return v.err
}

// iceServers checks STUN/TURN servers: bounded counts and lengths, and
// URLs of the three schemes ICE knows.
func (v *validator) iceServers(servers []ICEServer) {
	if len(servers) > MaxICEServers {
		v.fail("ice_servers", ErrFieldTooLong)
	}
	for i, s := range servers {
		if v.err != nil || i >= MaxICEServers {
			return
		}
		name := "ice_servers[" + strconv.Itoa(i) + "]"
		switch {
		case len(s.URLs) == 0:
			v.fail(name+".urls", ErrMissingField)
		case len(s.URLs) > MaxICEURLs:
			v.fail(name+".urls", ErrFieldTooLong)
		case s.Expires < 0:
			v.fail(name+".expires", ErrInvalidField)
		}
		for _, u := range s.URLs {
			v.text(name+".urls", u, MaxICEURLLen)
			if !strings.HasPrefix(u, "stun:") && !strings.HasPrefix(u, "turn:") && !strings.HasPrefix(u, "turns:") {
				v.fail(name+".urls", ErrInvalidField)
			}
		}
		v.text(name+".username", s.Username, MaxICEUserLen)
		v.text(name+".credential", s.Credential, MaxICEUserLen)
	}
}

// validateShape checks the types whose required fields depend on each
// other: chat is either a client's (text plus exactly one of to and
// call_id) or the server's (chat alone).
func (m *Message) validateShape(v *validator, p field) {
	switch m.Type {
	case TypeChat:
		switch {
		case p&fChat != 0:
			if p&(fTo|fCallID|fText) != 0 {
				v.fail("chat", ErrFieldNotAllowed)
			}
		case p&fText == 0:
			v.fail("text", ErrMissingField)
		case (p&fTo == 0) == (p&fCallID == 0):
			v.fail("to", ErrInvalidField)
		}
	case TypeSubscribe:
		if p&fIDs != 0 && p&fAll != 0 {
			v.fail("all", ErrFieldNotAllowed)
		}
	}
}

// messageID accepts a stored message's id: 1 to 19 decimal digits.
func (v *validator) messageID(field, id string) {
	if id == "" {
		v.fail(field, ErrMissingField)
		return
	}
	if len(id) > 19 {
		v.fail(field, ErrFieldTooLong)
		return
	}
	for _, r := range id {
		if r < '0' || r > '9' {
			v.fail(field, ErrInvalidField)
			return
		}
	}
}

// validator keeps the first failure so the checks above read as a list.
type validator struct {
	t   Type
	err error
}

func (v *validator) fail(field string, err error) {
	if v.err == nil {
		v.err = &FieldError{Type: v.t, Field: field, Err: err}
	}
}

func (v *validator) length(field string, n, limit int) {
	if n > limit {
		v.fail(field, ErrFieldTooLong)
	}
}

// text accepts any valid UTF-8 without control characters.
func (v *validator) text(field, s string, limit int) {
	v.length(field, len(s), limit)
	if !utf8.ValidString(s) {
		v.fail(field, ErrInvalidField)
		return
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			v.fail(field, ErrInvalidField)
			return
		}
	}
}

// id is text without spaces: ids end up in logs and maps keys, where
// invisible differences would let one user impersonate another.
func (v *validator) id(field, s string) {
	v.text(field, s, MaxIDLen)
	for _, r := range s {
		if unicode.IsSpace(r) || r == utf8.RuneError {
			v.fail(field, ErrInvalidField)
			return
		}
	}
}

// token is a short lowercase word with dashes, as reasons and codes are.
func (v *validator) token(field, s string, limit int) {
	v.length(field, len(s), limit)
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			v.fail(field, ErrInvalidField)
			return
		}
	}
}

func (v *validator) user(field string, u User) {
	if u.ID == "" {
		v.fail(field+".id", ErrMissingField)
	}
	v.id(field+".id", u.ID)
	v.text(field+".name", u.Name, MaxNameLen)
}
