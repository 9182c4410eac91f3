#!/usr/bin/env bash
# test-windows.sh [SCREENSHOT_DIR]: the Windows build, end to end, under Wine
# and Xvfb, on a Debian/Ubuntu machine:
#   1. install dist/Parley-Setup-<version>.exe silently (/S) into a fresh Wine
#      prefix and check what it installed (Parley.exe, uninstaller, Start-menu
#      and desktop shortcuts, the Apps & features entry);
#   2. start the installed Parley.exe and capture its first screen
#      (SCREENSHOT_DIR/windows-first-screen.png, default bin/; before that,
#      the installer's welcome page when started without /S: windows-setup.png);
#   3. sign that Windows Parley into a Linux parley-server (with its built-in
#      TURN server on UDP and TCP) as alice and call a Linux Parley (bob) with
#      E2EE on: both must log the call Connected and E2EE with the same
#      20-digit code, and media must flow both ways: each side's media
#      reports (app/mediareport.go) must show SFrame-sealed frames received
#      and growing, none failing to open, and frames played
#      (SCREENSHOT_DIR/windows-linux-video.png); and video both ways, as
#      media reports of decoded frames growing, none failing to open: the
#      Windows side shares its screen (GDI), the Linux side sends its
#      synthetic camera. Under Wine 8 the Windows side
#      has no UDP at all (its ws2_32 refuses the SIO_UDP_NETRESET ioctl Go
#      makes on every UDP socket), so its media goes over TURN on TCP, as on
#      a network that lets only TCP out; the test requires that path then.
#      A second call with the test DLL answering that ioctl as Windows does
#      (scripts/wine/udpnetreset.c) must take a direct UDP path;
#   4. uninstall silently and check that it is all gone;
#   5. run the tests of media/audio, media/opus, media/dsp and media/vp8 (the
#      statically linked libopus, speexdsp and libvpx) as Windows test
#      binaries under Wine, and media/video's GDI screen capture and DirectShow
#      camera tests, and
#      check the sound device: WASAPI when Wine has a sound server (a private
#      PulseAudio with a null sink), the null fallback when it has none;
#   6. run the carried Fyne's GDI software presenter test (TestGDIPresent:
#      the presented rects read back from a GL-less GLFW window) at 96 and
#      at 192 DPI.
# Builds the installer first when it is missing (scripts/package-windows.sh).
# Wine 8 lacks ProcessPrng, which Go's runtime needs: a stand-in DLL
# (scripts/wine/processprng.c, with udpnetreset.c) goes into the test
# prefix only.
set -euo pipefail
cd "$(dirname "$0")/.."
script=test-windows.sh
source scripts/lib.sh
export LANG=C.UTF-8
shots=${1:-bin}
mkdir -p "$shots" bin
scripts/setup.sh wine
version=$(scripts/app-version.sh)
setup=dist/Parley-Setup-$version.exe
[ -f "$setup" ] || scripts/package-windows.sh
go build -o bin/parley . && go build -o bin/parley-server ./cmd/parley-server && go build -o bin/parleyctl ./cmd/parleyctl
log() { echo "test-windows: $*" >&2; }
fail() { log "FAIL: $*"; exit 1; }

cache=${PARLEY_WIN_CACHE:-$HOME/.cache/parley-win}
# Cached by its sources' hash: worktrees with other versions share the cache.
shim_src=(scripts/wine/processprng.c scripts/wine/udpnetreset.c)
shim=$cache/wine/$(cat "${shim_src[@]}" | sha256sum | cut -c1-16)/bcryptprimitives.dll
if ! [ -f "$shim" ]; then
	mkdir -p "$(dirname "$shim")"
	x86_64-w64-mingw32-gcc -shared -O2 -Wall -static-libgcc -o "$shim.tmp" "${shim_src[@]}" -ladvapi32
	mv "$shim.tmp" "$shim"
fi

work=$(mktemp -d)
pids=()
export WINEPREFIX=$work/wine WINEARCH=win64 WINEDEBUG=-all
# No Mono or Gecko download prompts; our ProcessPrng instead of Wine's stub.
export WINEDLLOVERRIDES="mscoree,mshtml=;bcryptprimitives=n"
cleanup() {
	local rc=$?
	[ "$rc" = 0 ] || tail -n 30 "$work"/*.log >&2 2>/dev/null || true
	kill "${pids[@]}" 2>/dev/null || true
	wineserver -k 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

start_xvfb "$work" 1440x560x24
pids+=("$XVFB_PID")

t0=$(date +%s)
log "creating a Wine prefix"
wineboot -i >"$work/wineboot.log" 2>&1
wineserver -w
cp "$shim" "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"

log "starting $setup without /S: its welcome page"
wine "$setup" >"$work/setup-ui.log" 2>&1 &
setup_ui=$!
pids+=("$setup_ui")
wait_until 60 "the installer's window" window_of "Parley Setup"
rm -f "$work"/shot-*.png
wait_until 30 "the installer's welcome page to be drawn and settle" settled "$work" "$shots/windows-setup.png" "$win"
wineserver -k 2>/dev/null || true # cancel it: nothing has been installed yet
wait "$setup_ui" 2>/dev/null || true
[ ! -e "$WINEPREFIX/drive_c/Program Files/Parley" ] || fail "the installer installed before its welcome page was answered"
log "wrote $shots/windows-setup.png"

log "installing $setup silently"
wine "$setup" /S >"$work/install.log" 2>&1 || fail "the installer exited with $?"
wineserver -w
c=$WINEPREFIX/drive_c
dir="$c/Program Files/Parley"
for f in "$dir/Parley.exe" "$dir/Uninstall Parley.exe" \
	"$c/users/Public/Desktop/Parley.lnk" \
	"$c/ProgramData/Microsoft/Windows/Start Menu/Programs/Parley.lnk"; do
	[ -f "$f" ] || fail "the installer did not create ${f#"$c/"}"
done
cmp -s "$dir/Parley.exe" dist/windows/Parley.exe || fail "the installed Parley.exe is not dist/windows/Parley.exe"
key='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\dev.parley.app'
wine reg query "$key" /v DisplayVersion 2>/dev/null | tr -d '\r' | grep -q "REG_SZ[[:space:]]*$version\$" ||
	fail "no Apps & features entry for Parley $version ($key)"
log "installed: Program Files/Parley/Parley.exe, uninstaller, Start-menu and desktop shortcuts, $key ($(($(date +%s) - t0)) s)"

exe='C:\Program Files\Parley\Parley.exe'
log "starting the installed Parley.exe (first start)"
t1=$SECONDS
wine "$exe" >"$work/first.log" 2>&1 &
first=$!
pids+=("$first")
wait_until 60 "Parley.exe's first window" window_of Parley
log "window up after $((SECONDS - t1)) s"
rm -f "$work"/shot-*.png
wait_until 30 "the first screen to be drawn and settle" settled "$work" "$shots/windows-first-screen.png" "$win"
log "wrote $shots/windows-first-screen.png"
kill "$first" 2>/dev/null || true
wineserver -k 2>/dev/null || true
wait "$first" 2>/dev/null || true

log "E2EE call: Windows Parley (alice) calls Linux Parley (bob)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
url="http://127.0.0.1:$port"
# TURN on one port for UDP and TCP: a TCP port free now whose UDP twin is too.
tport=$(python3 -c '
import socket
while True:
    t = socket.socket(); t.bind(("127.0.0.1", 0)); p = t.getsockname()[1]
    u = socket.socket(type=socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass')
server=$(scripts/demo-org.sh "$work/org" "$port" -turn-public-ip 127.0.0.1 -turn-udp "127.0.0.1:$tport" -turn-tcp "127.0.0.1:$tport") ||
	fail "the demo organization did not start"
pids+=("$server")
grep -q "^turn .*turn:127.0.0.1:$tport?transport=tcp" "$work/org/server.log" || fail "parley-server hands out no TURN over TCP: $(grep '^turn ' "$work/org/server.log")"
mkdir -p "$work/bob"

# call TAG [VAR=VALUE...]: start the Linux bob (answers at once) and the
# Windows alice (calls bob once he is online; VARs in her environment), with
# logs alice-TAG.log and bob-TAG.log; wait for both to show one E2EE code
# and then for media both ways. Leaves both running; sets pa and pb, the
# paths the two sides report.
call() {
	local tag=$1
	shift
	al=alice-$tag bl=bob-$tag
	HOME="$work/bob" PARLEY_PASSWORD=parley-demo bin/parley -server "$url" -name bob -e2ee on -null-audio -auto-answer \
		-camera synthetic -auto-camera >"$work/$bl.log" 2>&1 &
	bob=$!
	pids+=("$bob")
	env PARLEY_PASSWORD=parley-demo "$@" wine "$exe" -server "$url" -name alice -e2ee on -null-audio -call bob \
		-auto-screen-share >"$work/$al.log" 2>&1 &
	alice=$!
	pids+=("$alice")

	# Both windows in place before the call screen comes up.
	wait_until 60 "the Windows alice's window" window_of "Parley — Demo — Alice"
	wa=$win
	wait_until 60 "the Linux bob's window" window_of "Parley — Demo — Bob"
	wb=$win
	xdotool windowmove "$wa" 0 0
	xdotool windowmove "$wb" 720 0

	wait_until 90 "both sides to report an E2EE call" both_secure
	[ "$a" = "$b" ] || fail "the codes differ: windows '$a', linux '$b'"
	log "E2EE call up: Windows and Linux both show code $a"

	# Media, not only the code (agreed over signaling): each side logs every
	# 5 s the frames it received (SFrame-sealed Opus; with the null device
	# both send silence, which DTX turns into a comfort-noise frame every
	# 400 ms), how many failed to open, how many it played, and the path;
	# and its video, SFrame-sealed too: the Windows alice shares her screen
	# (GDI: the Xvfb screen with both windows, 10 fps), the Linux bob sends
	# the synthetic camera, and each side decodes the other's frames.
	wait_until 60 "both sides to report received media and decoded video" flowing 1 1 1 1
	local a0=$na b0=$nb va0=$va vb0=$vb r side
	# Ten more frames each way, of both: in later reports.
	wait_until 30 "the received media and decoded video to grow on both sides (windows from $a0/$va0, linux from $b0/$vb0)" \
		flowing $((a0 + 10)) $((b0 + 10)) $((va0 + 10)) $((vb0 + 10))
	for side in "windows:$ra" "linux:$rb"; do
		r=${side#*:}
		[ "$(field decrypt_failed "$r")" = 0 ] || fail "${side%%:*}: frames failed to open: $r"
		[ "$(field video_open_failed "$r")" = 0 ] || fail "${side%%:*}: video frames failed to open: $r"
		[ "$(field played "$r")" -gt 0 ] || fail "${side%%:*}: nothing played: $r"
	done
	pa=$(field path "$ra") pb=$(field path "$rb")
	log "media both ways: windows received $a0 -> $na frames, played $(field played "$ra"), path $pa; linux received $b0 -> $nb, played $(field played "$rb"), path $pb; none failed to open"
	log "video both ways: windows (screen share) sent $(field video_sent "$ra"), decoded $va0 -> $va of linux's camera (received $(field video_received "$ra")); linux decoded $vb0 -> $vb of windows' screen (received $(field video_received "$rb")); none failed to open"
}
code_of() { sed -n 's/.*state=Connected e2ee=true code="\([0-9 ]*\)".*/\1/p' "$work/$1.log" | tail -1; }
both_secure() {
	alive "$alice" "the Windows alice" "$work/$al.log"
	alive "$bob" "the Linux bob" "$work/$bl.log"
	a=$(code_of "$al") b=$(code_of "$bl")
	[ -n "$a" ] && [ -n "$b" ]
}
report_of() { tr -d '\r' <"$work/$1.log" | grep -E ' INFO media [a-z_]+=' | tail -1; }
field() { sed -n "s/.* $1=\(\"[^\"]*\"\|[^ ]*\).*/\1/p" <<<"$2" | tr -d '"'; }
# flowing A B VA VB: the last reports show at least A (windows) and B
# (linux) audio frames received, VA and VB video frames decoded.
flowing() {
	alive "$alice" "the Windows alice" "$work/$al.log"
	alive "$bob" "the Linux bob" "$work/$bl.log"
	ra=$(report_of "$al") rb=$(report_of "$bl")
	na=$(field received "$ra") nb=$(field received "$rb")
	va=$(field video_decoded "$ra") vb=$(field video_decoded "$rb")
	[ "${na:-0}" -ge "$1" ] && [ "${nb:-0}" -ge "$2" ] && [ "${va:-0}" -ge "$3" ] && [ "${vb:-0}" -ge "$4" ]
}
udp_refused() { tr -d '\r' <"$work/$al.log" | grep -c 'wsaioctl: winapi error #10045' || true; }
hang_up() {
	kill "$bob" 2>/dev/null || true
	wineserver -k 2>/dev/null || true
	wait "$bob" "$alice" 2>/dev/null || true
}

# Wine 8 as it is: the Windows side opens no UDP socket, like a user behind
# a firewall that lets only TCP out. The call must go over TURN on TCP.
call wine8
n=$(udp_refused)
if [ "$n" -gt 0 ]; then
	[[ "$pa" == "relay(tcp)/"* ]] || fail "the Windows side has no UDP, yet its path is '$pa', not relayed over TCP"
	log "the Windows side opened no UDP socket ($n refused with WSAEOPNOTSUPP): its media went over TURN on TCP"
else
	log "this Wine lets Go open UDP sockets: the call took $pa"
fi
# Both apps draw in software (no GL context): GDI on Windows, X11 on Linux.
renderer_of() { tr -d '\r' <"$work/$1.log" | sed -n 's/.* INFO renderer name=\([a-z]*\).*/\1/p' | tail -1; }
for side in "windows:$al" "linux:$bl"; do
	r=$(renderer_of "${side#*:}")
	[ "$r" = software ] || fail "${side%%:*}: the app draws with '${r:-no renderer logged}', not in software"
done
log "both apps draw in software (windows: GDI, linux: X11)"
rm -f "$work"/shot-*.png
SETTLE_MOVING=1 wait_until 30 "both call screens to be drawn" settled "$work" "$shots/windows-linux-video.png" root 0 720
log "wrote $shots/windows-linux-video.png (left: Windows under Wine showing Linux's camera, right: Linux showing Windows' screen)"
hang_up

# With the test DLL answering SIO_UDP_NETRESET as Windows does
# (scripts/wine/udpnetreset.c): UDP as on a real Windows, and a direct path.
log "second call, with UDP sockets working in Wine (PARLEY_WINE_UDP_NETRESET=1)"
call udp PARLEY_WINE_UDP_NETRESET=1
[ "$(udp_refused)" = 0 ] || fail "with SIO_UDP_NETRESET answered, UDP sockets still fail under Wine"
[[ "$pa" != relay* && "$pa" == *" udp" ]] || fail "with UDP, the Windows side's path is '$pa', not a direct UDP one"
log "with UDP the call went direct: windows $pa, linux $pb"
hang_up

log "uninstalling silently"
wine "$dir/Uninstall Parley.exe" /S >"$work/uninstall.log" 2>&1 || fail "the uninstaller exited with $?"
# The uninstaller copies itself away and runs from there: wait for it.
gone() { [ ! -e "$dir/Parley.exe" ] && [ ! -e "$c/users/Public/Desktop/Parley.lnk" ]; }
wait_until 30 "the uninstaller to remove Parley" gone
wineserver -w
for f in "$dir/Parley.exe" "$dir/Uninstall Parley.exe" "$c/users/Public/Desktop/Parley.lnk" \
	"$c/ProgramData/Microsoft/Windows/Start Menu/Programs/Parley.lnk"; do
	[ ! -e "$f" ] || fail "the uninstaller left ${f#"$c/"}"
done
if wine reg query "$key" >/dev/null 2>&1; then fail "the uninstaller left $key"; fi
settings=$(ls -d "$c"/users/*/AppData/Roaming/fyne/dev.parley.app 2>/dev/null | head -1)
[ -n "$settings" ] || fail "no settings folder %APPDATA%\\fyne\\dev.parley.app after uninstalling (the README says it stays)"
log "uninstalled: files, shortcuts and $key are gone; the settings stay in ${settings#"$c/"}"

for pkg in media/audio media/opus media/dsp media/vp8; do
	name=$(basename "$pkg")
	scripts/windows-env.sh go test -c -o "$work/$name.test.exe" "./$pkg"
	(cd "$pkg" && PULSE_SERVER=unix:$work/no-sound-server wine "$work/$name.test.exe" -test.count=1 -test.v >"$work/test-$name.log" 2>&1) ||
		{ tr -d '\r' <"$work/test-$name.log" | grep -E '^(--- FAIL|FAIL|panic)|_test.go' >&2; fail "go test ./$pkg failed under Wine"; }
	out=$(tr -d '\r' <"$work/test-$name.log")
	skipped=$(sed -n 's/^--- SKIP: \([^ ]*\).*/\1/p' <<<"$out" | tr '\n' ' ')
	log "go test ./$pkg under Wine: $(grep -c '^--- PASS' <<<"$out") passed, $(grep -c '^--- SKIP' <<<"$out") skipped ${skipped:+($skipped)}"
done
# Sound: with no sound server Wine's WASAPI has no device, so OpenDefault
# must fall back to the null device; with a PulseAudio server (a private one,
# one null sink) Wine's WASAPI has a device and OpenDefault must use it.
# Screen sharing through GDI: what is drawn on the (Xvfb) screen is what
# a capture reads back; cameras through DirectShow: Wine has none, so the
# list is empty and opening one says so (the rest of media/video's tests open UDP sockets,
# which this Wine refuses, and run on Linux).
scripts/windows-env.sh go test -c -o "$work/video.test.exe" ./media/video
(cd media/video && wine "$work/video.test.exe" -test.count=1 -test.v -test.run 'GDI$|DirectShow$' >"$work/test-video.log" 2>&1) ||
	{ tr -d '\r' <"$work/test-video.log" | grep -E '^(--- FAIL|FAIL|panic)|_test.go' >&2; fail "the GDI screen capture or DirectShow camera tests failed under Wine"; }
log "go test ./media/video -run 'GDI|DirectShow' under Wine: $(tr -d '\r' <"$work/test-video.log" | grep -c '^--- PASS') passed ($(tr -d '\r' <"$work/test-video.log" | sed -n 's/.*screen_windows_test.go:[0-9]*: //p' | head -1))"
audio_log=$(tr -d '\r' <"$work/test-audio.log")
fallback=$(sed -n 's/.*malgo_test.go:[0-9]*: \(backend .*\)/\1/p' <<<"$audio_log" | head -1)
case "$fallback" in
"backend null, no device true, fallback: audio: no audio device: wasapi"*) log "audio, no sound server: $fallback" ;;
"backend wasapi, no device false"*) log "audio: this machine has a sound device for Wine: $fallback" ;;
*) fail "the Windows build neither opened WASAPI nor fell back to null after trying it: $fallback" ;;
esac
pa=$work/pulse
mkdir -p "$pa/run"
printf 'load-module module-native-protocol-unix auth-anonymous=1 socket=%s\nload-module module-null-sink sink_name=speaker rate=48000 channels=1\n' \
	"$pa/native" >"$pa/default.pa"
HOME=$pa XDG_RUNTIME_DIR=$pa/run PULSE_RUNTIME_PATH=$pa/run pulseaudio -n -F "$pa/default.pa" --daemonize=no \
	--exit-idle-time=-1 --use-pid-file=no --disable-shm --log-target=stderr >"$work/pulse.log" 2>&1 &
pids+=($!)
export PULSE_SERVER=unix:$pa/native
pulse_up() { pactl info >/dev/null 2>&1; }
wait_until 20 "the private PulseAudio server" pulse_up
wineserver -k 2>/dev/null || true # Wine's audio driver reads PULSE_SERVER when it starts
(cd media/audio && wine "$work/audio.test.exe" -test.count=1 -test.v -test.run '^TestMalgoOpenDefault$' >"$work/test-wasapi.log" 2>&1) ||
	fail "TestMalgoOpenDefault failed under Wine with PulseAudio"
unset PULSE_SERVER
wasapi=$(tr -d '\r' <"$work/test-wasapi.log" | sed -n 's/.*malgo_test.go:[0-9]*: \(backend .*\)/\1/p' | head -1)
[[ "$wasapi" == "backend wasapi, no device false, fallback: <nil>" ]] ||
	fail "with a sound server the Windows build did not open WASAPI: $wasapi"
log "audio, PulseAudio under Wine: $wasapi"
# The carried Fyne's GDI software presenter (an internal test of its GLFW
# driver in third_party/fyne, built through the root module's replace):
# what it presents into a GLFW window without GL is what the window's DC
# reads back, at 96 DPI and at 192 (content scale 2, last: the DPI is the
# prefix's). Its windows unmanaged (for that binary only): with no window
# manager on Xvfb, Wine waits 2 s for one when a managed window closes.
present_test() {
	(cd third_party/fyne/internal/driver/glfw && wine "$work/fyneglfw.test.exe" -test.count=1 -test.v -test.run '^TestGDI' "$@" >"$work/test-present.log" 2>&1) ||
		{ tr -d '\r' <"$work/test-present.log" | grep -E '^(--- FAIL|FAIL|panic)|_test.go' >&2; fail "the Fyne GDI presenter tests failed under Wine ($*)"; }
	log "go test fyne.io/fyne/v2/internal/driver/glfw -run '^TestGDI' $* under Wine: $(tr -d '\r' <"$work/test-present.log" | grep -c '^--- PASS') passed ($(tr -d '\r' <"$work/test-present.log" | sed -n 's/.*present_windows_test.go:[0-9]*: \(content scale .*\)/\1/p'))"
}
scripts/windows-env.sh go test -c -o "$work/fyneglfw.test.exe" fyne.io/fyne/v2/internal/driver/glfw
wine reg add 'HKCU\Software\Wine\AppDefaults\fyneglfw.test.exe\X11 Driver' /v Managed /d N /f >/dev/null 2>&1 ||
	fail "could not make the presenter test's windows unmanaged"
present_test -gdi-scale 1
wine reg add 'HKCU\Control Panel\Desktop' /v LogPixels /t REG_DWORD /d 192 /f >/dev/null 2>&1 ||
	fail "could not set the prefix to 192 DPI"
present_test -gdi-scale 2
log "PASS in $(($(date +%s) - t0)) s"
