package ui

import "github.com/parley-voip/parley/app"

// CallHistoryChanged implements app.Listener. The Calls screen (branch
// ui) reads the history with Softphone.CallHistory and the rail's badge
// with UnseenMissedCalls; until it exists there is nothing to redraw.
func (m *Main) CallHistoryChanged(app.CallHistoryUpdate) {}
