// Package pionlog routes pion's internal logs (webrtc, ice, turn) into a
// slog logger, so ICE, DTLS and TURN trouble lands in the same log as the
// rest of the program instead of on stderr.
package pionlog

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/pion/logging"
)

// Factory is a pion logging.LoggerFactory writing to Log. Pion's info level
// is chatty (every candidate pair), so it is lowered to debug.
type Factory struct{ Log *slog.Logger }

// NewLogger returns the logger for one pion scope ("ice", "turn", …).
func (f Factory) NewLogger(scope string) logging.LeveledLogger {
	return slogLeveled{log: f.Log.With("pion", scope)}
}

type slogLeveled struct{ log *slog.Logger }

const levelTrace = slog.LevelDebug - 4

func (l slogLeveled) emit(level slog.Level, msg string) {
	l.log.Log(context.Background(), level, msg)
}

func (l slogLeveled) emitf(level slog.Level, format string, args ...any) {
	if !l.log.Enabled(context.Background(), level) {
		return
	}
	l.log.Log(context.Background(), level, fmt.Sprintf(format, args...))
}

func (l slogLeveled) Trace(msg string)                  { l.emit(levelTrace, msg) }
func (l slogLeveled) Tracef(format string, args ...any) { l.emitf(levelTrace, format, args...) }
func (l slogLeveled) Debug(msg string)                  { l.emit(slog.LevelDebug, msg) }
func (l slogLeveled) Debugf(format string, args ...any) { l.emitf(slog.LevelDebug, format, args...) }
func (l slogLeveled) Info(msg string)                   { l.emit(slog.LevelDebug, msg) }
func (l slogLeveled) Infof(format string, args ...any)  { l.emitf(slog.LevelDebug, format, args...) }
func (l slogLeveled) Warn(msg string)                   { l.emit(slog.LevelWarn, msg) }
func (l slogLeveled) Warnf(format string, args ...any)  { l.emitf(slog.LevelWarn, format, args...) }
func (l slogLeveled) Error(msg string)                  { l.emit(slog.LevelError, msg) }
func (l slogLeveled) Errorf(format string, args ...any) { l.emitf(slog.LevelError, format, args...) }
