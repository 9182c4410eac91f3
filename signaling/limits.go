package signaling

// Size limits, in bytes. They bound what a peer can make the other side hold
// and keep every field far below MaxMessageBytes.
const (
	// MaxMessageBytes is the largest frame Decode accepts and the default
	// read limit on both ends.
	MaxMessageBytes = 64 << 10
	// MaxServerMessageBytes is the client's read limit: presence lists of a
	// large organization exceed MaxMessageBytes.
	MaxServerMessageBytes = 4 << 20

	MaxIDLen           = 64       // ID, From, To, CallID, user ids, Error.Ref
	MaxNameLen         = 128      // display names
	MaxVersionLen      = 64       // ServerVersion
	MaxReasonLen       = 64       // Reason
	MaxSDPLen          = 32 << 10 // SDP
	MaxCandidateLen    = 1024     // Candidate.Candidate
	MaxMidLen          = 64       // Candidate.SDPMid, Candidate.UsernameFragment
	MaxDataLen         = 16 << 10 // decoded Data
	MaxErrorTextLen    = 512      // Error.Message
	MaxPresenceUsers   = 20000    // entries in one presence message
	MaxSubscribeIDs    = 1000     // ids in one subscribe (a directory page, contacts, chats)
	MaxTokenLen        = 128      // hello Token
	MaxChatTextLen     = 8 << 10  // chat Text
	MaxPolicyNameLen   = 64       // PolicyInfo.Name
	MaxICEServers      = 8        // entries in an ice-servers message
	MaxICEURLs         = 8        // URLs of one ICEServer
	MaxICEURLLen       = 256      // one STUN/TURN URL
	MaxICEUserLen      = 128      // ICEServer.Username and Credential
	MaxCallRecordings  = 16       // CallRecord.Recordings
	MaxRoster          = 64       // entries in one roster (the media service's rooms are smaller)
	MaxAddPeople       = 16       // ids in one add-people
	MaxCaptionTextLen  = 4 << 10  // Caption.Text
	MaxTranscriptLines = 20000    // lines a call's transcript keeps
	MaxTranscriptText  = 4 << 20  // bytes of caption text a call's transcript keeps
	MaxRetentionDays   = 99999    // PolicyInfo.RetentionDays (server/policy.MaxRetentionDays)
)
