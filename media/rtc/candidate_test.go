package rtc

import (
	"errors"
	"strings"
	"testing"
)

func TestCandidateValidate(t *testing.T) {
	t.Parallel()
	mid := "0"
	longMid := strings.Repeat("m", MaxMidSize+1)
	tests := []struct {
		name string
		c    Candidate
		want error
	}{
		{"host udp", Candidate{Candidate: "candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host", SDPMid: &mid}, nil},
		{"without prefix", Candidate{Candidate: "1 1 udp 2130706431 192.0.2.7 50000 typ host"}, nil},
		{"srflx", Candidate{Candidate: "candidate:2 1 udp 1694498815 203.0.113.5 40000 typ srflx raddr 192.0.2.7 rport 50000"}, nil},
		{"end of candidates", Candidate{}, nil},
		{"garbage", Candidate{Candidate: "candidate:not a candidate"}, ErrMalformedCandidate},
		{"bad port", Candidate{Candidate: "candidate:1 1 udp 2130706431 127.0.0.1 99999999 typ host"}, ErrMalformedCandidate},
		{"unknown type", Candidate{Candidate: "candidate:1 1 udp 2130706431 127.0.0.1 5000 typ bogus"}, ErrMalformedCandidate},
		{"too large", Candidate{Candidate: "candidate:" + strings.Repeat("1", MaxCandidateSize)}, ErrCandidateTooLarge},
		{"long mid", Candidate{Candidate: "candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host", SDPMid: &longMid}, ErrMalformedCandidate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.c.Validate()
			if tt.want == nil && err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Validate = %v, want %v", err, tt.want)
			}
		})
	}
}

func FuzzCandidate(f *testing.F) {
	f.Add("candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host")
	f.Add("candidate:2 1 udp 1694498815 203.0.113.5 40000 typ srflx raddr 192.0.2.7 rport 50000")
	f.Add("candidate:3 1 tcp 1518280447 192.0.2.7 9 typ host tcptype active")
	f.Add("candidate:4 1 udp 2130706431 abcd.local 50000 typ host generation 0 ufrag x")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		err := Candidate{Candidate: s}.Validate()
		if err != nil && !errors.Is(err, ErrMalformedCandidate) && !errors.Is(err, ErrCandidateTooLarge) {
			t.Fatalf("untyped error %v", err)
		}
	})
}
