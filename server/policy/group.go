package policy

import "fmt"

// Rank bounds. Lower numbers win (rank 1 is the strongest).
const (
	MinRank = 1
	MaxRank = 1_000_000
)

// Group is a named set of users with a rank that orders its grant against
// the grants of the user's other groups.
type Group struct {
	Name    string `json:"name"`
	Rank    int    `json:"rank"`
	Members int    `json:"members"` // filled by listings; ignored on writes
}

// Validate checks the name and rank.
func (g Group) Validate() error {
	if err := ValidateName("group", g.Name); err != nil {
		return err
	}
	return ValidateRank(g.Rank)
}

// ValidateRank checks MinRank ≤ r ≤ MaxRank.
func ValidateRank(r int) error {
	if r < MinRank || r > MaxRank {
		return fmt.Errorf("%w: rank %d not in [%d, %d]", ErrInvalid, r, MinRank, MaxRank)
	}
	return nil
}

// outranks reports whether g wins over o: lower rank, then lower name.
func (g Group) outranks(o Group) bool {
	if g.Rank != o.Rank {
		return g.Rank < o.Rank
	}
	return g.Name < o.Name
}
