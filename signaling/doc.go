// Package signaling defines the messages that Parley clients and the Parley
// server exchange over WebSocket, and the client side of that transport.
//
// It is shared by the desktop app (app/) and the server (server/), so that
// both sides validate exactly the same wire format. It imports neither Fyne
// nor pion: ICE candidates travel in Candidate, which mirrors the JSON shape of
// webrtc.ICECandidateInit.
//
// # Wire format
//
// One JSON object per WebSocket text frame, at most MaxMessageBytes. Every
// message is a Message envelope whose Type decides which other fields may and
// must be present; Decode rejects unknown fields, trailing data, missing
// required fields, fields that do not belong to the type and over-long values.
//
// # Flow
//
// A client opens /ws and sends hello; the server answers welcome. The
// client subscribes to the ids whose presence it shows and gets one
// snapshot of them (presence with ref) and then their changes
// (ProtocolVersion 2). A call between caller A and callee B:
//
//	A → invite {to: B, call_id, e2ee}   server relays to B with from: A
//	B → ringing {call_id}               relayed to A
//	B → accept {call_id, e2ee, e2ee_call} relayed to A; both are now "in-call"
//	A → offer {call_id, sdp, e2ee_call} relayed to B (only once accepted)
//	B → answer {call_id, sdp}           relayed to A
//	* → candidate / e2ee {call_id, …}   relayed to the other party
//	* → hangup {call_id, reason}        relayed; the call ends
//
// e2ee is the sender's own choice (switch on and allowed by its policy);
// e2ee_call is the sender's decision for the call, the AND of both choices.
// The caller checks the accept's e2ee_call against its own AND, the callee
// the offer's against its own, each before attaching media; a difference
// ends the call with hangup reason "e2ee-mismatch".
//
// The server sets From on everything it relays. B may answer the invite with
// decline instead of accept; either party may hang up at any time. The server
// itself answers an invite with decline reason "busy" when B is in (or ringing
// in) another call, with error code "unreachable" when B is offline, and sends
// hangup reason "no-answer" to both when nobody answers in time. When a
// party's connection drops, a ringing call ends with hangup "peer-gone"; an
// accepted one is held for a grace period, during which the party's new
// connection sends resume {call_id, to} and the call goes on; without it
// the other party gets hangup "peer-lost". Errors carry the client-chosen
// ID of the offending message in Error.Ref when that ID is valid.
//
// # Organization server additions (issue 4)
//
// Against the organization server, the upgrade request carries the session
// token ("Authorization: Bearer pst_…", see WithToken; or hello's token
// field where headers cannot be set) and the welcome names the signed-in
// user. Beyond calls:
//
//	C → status {status: available|busy|away}     the user's chosen presence
//	A → chat {id, to: B, text}                    1:1 chat
//	A → chat {id, call_id, text}                  in-call chat, to the other party
//	S → A chat-ack {ref: id, chat}                stored durably; only then delivered
//	S → B (every device), A's other devices: chat {chat}
//	S → C policy {policy}                         effective E2EE policy, at sign-in and on change
//
// A user may be connected from several devices (sessions) at once: presence,
// chat and policy reach all of them; an invite rings the most recently
// connected one. docs/server-api.md describes the whole API.
//
// The design brief is ../shared/DESIGN.md; issue 2 (walking skeleton) defines
// the behaviour implemented here.
package signaling
