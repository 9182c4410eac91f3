package accounts

import "time"

// Session is one signed-in device. The token that proves it is never
// stored; ID is its public handle.
type Session struct {
	ID        string    `json:"id"`
	UserID    string    `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
	LastSeen  time.Time `json:"last_seen"`
	ExpiresAt time.Time `json:"expires_at"`
	Address   string    `json:"address,omitempty"`
	UserAgent string    `json:"user_agent,omitempty"`
	Current   bool      `json:"current,omitempty"` // the session making the request
}

// SignedIn is SignIn's result. Token is the bearer secret: show it to its
// owner once, never log it.
type SignedIn struct {
	Token   string  `json:"token"`
	User    User    `json:"user"`
	Session Session `json:"session"`
}
