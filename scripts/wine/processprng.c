// A stand-in bcryptprimitives.dll for running Parley.exe under Wine 8 in
// scripts/test-windows.sh: a test-harness part, never shipped.
//
// Go's Windows runtime (since Go 1.24) takes its random bytes from
// ProcessPrng in bcryptprimitives.dll, which every supported Windows has and
// Wine 8 lacks, so without this the program stops at start-up. This exports
// ProcessPrng on top of RtlGenRandom (advapi32's SystemFunction036), which
// Wine implements from the host's random source.
//
// Go's runtime calls ProcessPrng before anything else of the program runs,
// so its first call also applies udpnetreset.c's change when the test asks
// for it.
#include <windows.h>
#include <ntsecapi.h>

void wine_udp_netreset(void);

static LONG started;

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
	if (InterlockedExchange(&started, 1) == 0) {
		wine_udp_netreset();
	}
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!RtlGenRandom(data, n)) {
			return FALSE;
		}
		data += n;
		len -= n;
	}
	return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved) {
	(void)inst;
	(void)reason;
	(void)reserved;
	return TRUE;
}
