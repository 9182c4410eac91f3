package signaling

// TypeChatRead marks a conversation read. Client→server: To (the peer) and
// Read.UpTo, the newest message id of that conversation the user has seen.
// Server→client, to every device of that user (the sender's too): To and
// Read with the mark as stored and the conversation's unread count after
// it, so reading on one device clears the badge on the others.
const TypeChatRead Type = "chat-read"

// ChatRead is the payload of a chat-read message.
type ChatRead struct {
	UpTo   string `json:"up_to"`            // a message id (decimal); the mark never moves back
	Unread int    `json:"unread,omitempty"` // server→client: messages from the peer after the mark
}

// ChatSummary is one conversation in GET /api/chats: the newest message
// and how many messages from the peer the user has not read.
type ChatSummary struct {
	Peer   string      `json:"peer"`
	Last   ChatMessage `json:"last"`
	Unread int         `json:"unread"`
}

// MaxChatUnread bounds an unread count on the wire.
const MaxChatUnread = 1 << 30
