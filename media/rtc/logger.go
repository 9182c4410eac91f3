package rtc

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/pion/logging"
)

// slogFactory routes pion's internal logs into the application's slog
// logger, so a call's ICE/DTLS trouble lands in the same log as the rest of
// the client instead of on stderr. Pion's info level is chatty (every
// candidate pair), so it is lowered to debug.
type slogFactory struct{ log *slog.Logger }

func (f slogFactory) NewLogger(scope string) logging.LeveledLogger {
	return slogLeveled{log: f.log.With("pion", scope)}
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
