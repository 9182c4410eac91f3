package media

import "math"

// audioLeveler is implemented by transports that send each frame's RFC 6464
// audio level (rtc.Peer to the media service, which shows who is speaking).
type audioLeveler interface {
	SetAudioLevel(dBov int, voice bool)
}

// voiceLevel (dBov) and louder counts as speech in the level's voice bit.
const voiceLevel = 50

// setAudioLevel gives the transport the level of the frame about to be
// encoded (after mute: a muted frame is silence, 127).
func (s *Stream) setAudioLevel(pcm []int16) {
	al, ok := s.transport.(audioLeveler)
	if !ok {
		return
	}
	db := rmsDBFS(pcm) // ≤ 0, Silence for digital silence
	level := 127
	if !math.IsInf(db, 0) && db > -127 {
		level = int(math.Round(-db))
	}
	al.SetAudioLevel(level, level < voiceLevel)
}
