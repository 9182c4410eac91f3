// Command parley is the Parley desktop softphone. See README.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/parley-voip/parley/app"
	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/video"
	"github.com/parley-voip/parley/media/vp8"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/ui"
)

const appID = "dev.parley.app"

type options struct {
	profile    string
	server     string
	name       string
	local      bool
	e2ee       string
	nullAudio  bool
	autoAnswer bool
	call       string
	camera     string
	autoCamera bool
	autoScreen bool
}

func main() {
	runtimeSettings() // may re-execute the app, before anything has started
	var o options
	flag.StringVar(&o.profile, "profile", "", "keep settings apart under this profile name (two users on one computer)")
	flag.StringVar(&o.server, "server", "", "sign in to the organization at this address and skip the welcome screen; the password comes from $PARLEY_PASSWORD (none: join a local organization by name)")
	flag.StringVar(&o.name, "name", "", "your user name with -server, your display name with -local")
	flag.BoolVar(&o.local, "local", false, "start a local organization on this computer and skip the welcome screen")
	flag.StringVar(&o.e2ee, "e2ee", "", `set Settings → Privacy "End-to-end encrypted calls" to on or off before starting`)
	flag.BoolVar(&o.nullAudio, "null-audio", false, "use no sound device (silence in, nothing out)")
	flag.BoolVar(&o.autoAnswer, "auto-answer", false, "answer incoming calls at once (demos, screenshots)")
	flag.StringVar(&o.camera, "camera", "", `"synthetic": a moving test pattern instead of the camera (demos, screenshots)`)
	flag.BoolVar(&o.autoCamera, "auto-camera", false, "turn the camera on as each call connects (demos, screenshots)")
	flag.BoolVar(&o.autoScreen, "auto-screen-share", false, "share the screen as each call connects (demos, tests)")
	flag.StringVar(&o.call, "call", "", "call this user id as soon as they are online (demos, screenshots)")
	flag.Parse()
	if (o.server != "" || o.local) && o.name == "" {
		fmt.Fprintln(os.Stderr, "parley: -server and -local need -name")
		os.Exit(2)
	}
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "parley:", err)
		os.Exit(1)
	}
}

func run(_ context.Context, o options) error {
	id := appID
	if o.profile != "" {
		id += "." + o.profile
	}
	tuneMemory()
	ui.TuneMalloc()
	reportMemoryOnSignal(slog.Default())
	fa := fyneapp.NewWithID(id)
	fa.SetIcon(ui.AppIcon)
	win := fa.NewWindow("Parley")
	if o.name != "" {
		win.SetTitle("Parley — " + o.name)
	}

	cfg := app.SoftphoneConfig{
		Prefs:   fa.Preferences(),
		DataDir: fa.Storage().RootURI().Path(),
		OpenDevice: func(capture, playback string) (audio.Device, error) {
			if o.nullAudio {
				return audio.OpenDefault(audio.WithBackend(audio.BackendNull))
			}
			var opts []audio.Option
			if capture != "" { // "" is the system default
				opts = append(opts, audio.WithCaptureDevice(capture))
			}
			if playback != "" {
				opts = append(opts, audio.WithPlaybackDevice(playback))
			}
			return audio.OpenDefault(opts...)
		},
		OpenRinger: func(playback string) (audio.Device, error) {
			if o.nullAudio {
				return audio.OpenDefault(audio.WithBackend(audio.BackendNull), audio.PlaybackOnly())
			}
			d, err := audio.OpenDefault(audio.WithPlaybackDevice(playback), audio.PlaybackOnly())
			if err == nil && d.Info().NoDevice {
				// Fell back to the null device: ring on the speaker instead.
				_ = d.Close()
				return nil, d.Info().Fallback
			}
			return d, err
		},
		StartLocalOrg: func(ctx context.Context, dir, addr string, log *slog.Logger) (app.LocalOrg, error) {
			return org.StartLocal(ctx, dir, addr, log)
		},
		OpenScreen:      func() (video.Source, error) { return video.OpenScreen(video.DefaultScreenConfig()) },
		Logger:          slog.Default(),
		AutoAnswer:      o.autoAnswer,
		AutoCall:        o.call,
		AutoCamera:      o.autoCamera,
		AutoScreenShare: o.autoScreen,
	}
	switch o.camera {
	case "":
		cfg.OpenCamera = func(id string) (video.Source, error) {
			return video.OpenCamera(id, vp8.DefaultWidth, vp8.DefaultHeight, vp8.DefaultFrameRate)
		}
		cfg.ListCameras = video.Cameras
	case "synthetic":
		cfg.OpenCamera = func(string) (video.Source, error) { return video.NewPattern(video.DefaultPatternConfig()) }
		cfg.ListCameras = func() []video.Camera { return []video.Camera{{ID: "pattern", Label: "Test pattern"}} }
	default:
		return fmt.Errorf("-camera takes synthetic, not %q", o.camera)
	}
	sp, err := app.NewSoftphone(cfg)
	if err != nil {
		return err
	}
	defer sp.Close()
	switch o.e2ee {
	case "on", "off":
		sp.SetE2EECalls(o.e2ee == "on")
	case "":
	default:
		return fmt.Errorf("-e2ee takes on or off, not %q", o.e2ee)
	}
	sp.SetListener(ui.NewMain(win, sp))

	switch {
	case o.server != "":
		err = sp.SignIn(o.server, o.name, os.Getenv("PARLEY_PASSWORD"))
	case o.local:
		err = sp.StartLocal(o.name)
	default:
		_, err = sp.Resume()
	}
	if err != nil {
		return err
	}
	logRenderer(fa, slog.Default())
	win.Resize(ui.WindowSize)
	ui.Run(win)
	return nil
}
