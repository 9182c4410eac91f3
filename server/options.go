package server

// Option adjusts a Server beyond its Config.
type Option func(*Server)

// WithAuthenticator replaces the default, which trusts the identity a hello
// claims.
func WithAuthenticator(a Authenticator) Option {
	return func(s *Server) {
		if a != nil {
			s.auth = a
		}
	}
}
