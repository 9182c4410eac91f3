// Part of the stand-in bcryptprimitives.dll (processprng.c) for running
// Parley.exe under Wine 8 in scripts/test-windows.sh: a test-harness part,
// never shipped.
//
// Go's net package (since go.dev/issue/68614) makes two WSAIoctl calls on
// every UDP socket it opens, SIO_UDP_CONNRESET and SIO_UDP_NETRESET, and
// gives up on the socket when either fails. Wine 8's ws2_32 stubs the first
// but has no case for the second: it fails with WSAEOPNOTSUPP (10045), so a
// Go program under Wine 8 opens no UDP socket at all. Every Windows since
// XP accepts SIO_UDP_NETRESET.
//
// When PARLEY_WINE_UDP_NETRESET=1 is in the environment, wine_udp_netreset
// points ws2_32's export of WSAIoctl at a wrapper that answers
// SIO_UDP_NETRESET as Wine answers SIO_UDP_CONNRESET (success, nothing
// else) and passes every other call to Wine's WSAIoctl. Go looks WSAIoctl
// up with GetProcAddress, which reads that export table. Without the
// variable nothing is changed, and the test sees Wine 8 as it is: no UDP.
#include <winsock2.h>
#include <windows.h>
#include <stdint.h>
#include <string.h>

#ifndef SIO_UDP_NETRESET
#define SIO_UDP_NETRESET _WSAIOW(IOC_VENDOR, 15)
#endif

typedef int(WINAPI *wsaioctl_fn)(SOCKET, DWORD, LPVOID, DWORD, LPVOID, DWORD, LPDWORD, LPWSAOVERLAPPED,
				 LPWSAOVERLAPPED_COMPLETION_ROUTINE);

static wsaioctl_fn wine_wsaioctl;

static int WINAPI wsaioctl(SOCKET s, DWORD code, LPVOID in, DWORD in_size, LPVOID out, DWORD out_size,
			   LPDWORD ret_size, LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE completion) {
	if (code == SIO_UDP_NETRESET && overlapped == NULL) {
		if (ret_size != NULL) {
			*ret_size = 0;
		}
		return 0;
	}
	return wine_wsaioctl(s, code, in, in_size, out, out_size, ret_size, overlapped, completion);
}

// export_slot is the export-address-table entry (an RVA from base) of name.
static DWORD *export_slot(BYTE *base, const char *name) {
	IMAGE_NT_HEADERS *nt = (IMAGE_NT_HEADERS *)(base + ((IMAGE_DOS_HEADER *)base)->e_lfanew);
	IMAGE_DATA_DIRECTORY dir = nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT];
	IMAGE_EXPORT_DIRECTORY *exp = (IMAGE_EXPORT_DIRECTORY *)(base + dir.VirtualAddress);
	DWORD *names = (DWORD *)(base + exp->AddressOfNames);
	WORD *ordinals = (WORD *)(base + exp->AddressOfNameOrdinals);
	DWORD *functions = (DWORD *)(base + exp->AddressOfFunctions);
	for (DWORD i = 0; i < exp->NumberOfNames; i++) {
		if (strcmp((const char *)(base + names[i]), name) == 0) {
			return &functions[ordinals[i]];
		}
	}
	return NULL;
}

// near_page is a fresh executable page above base and within the 4 GiB an
// export RVA can reach.
static BYTE *near_page(BYTE *base) {
	SYSTEM_INFO si;
	GetSystemInfo(&si);
	uintptr_t step = si.dwAllocationGranularity;
	uintptr_t start = ((uintptr_t)base + 0x10000000u) & ~(step - 1);
	for (uintptr_t a = start; a < (uintptr_t)base + 0xF0000000u; a += step) {
		void *p = VirtualAlloc((void *)a, step, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
		if (p != NULL) {
			return p;
		}
	}
	return NULL;
}

void wine_udp_netreset(void) {
	char on[2];
	if (GetEnvironmentVariableA("PARLEY_WINE_UDP_NETRESET", on, sizeof on) != 1 || on[0] != '1') {
		return;
	}
	BYTE *base = (BYTE *)LoadLibraryA("ws2_32.dll");
	DWORD *slot = base ? export_slot(base, "WSAIoctl") : NULL;
	BYTE *stub = slot ? near_page(base) : NULL;
	if (stub == NULL) {
		return;
	}
	wine_wsaioctl = (wsaioctl_fn)(base + *slot);
	// jmp qword ptr [rip+0]; the wrapper's address
	static const BYTE jmp[6] = {0xFF, 0x25, 0, 0, 0, 0};
	void *target = (void *)wsaioctl;
	memcpy(stub, jmp, sizeof jmp);
	memcpy(stub + sizeof jmp, &target, sizeof target);
	DWORD old;
	if (!VirtualProtect(stub, 16, PAGE_EXECUTE_READ, &old) ||
	    !VirtualProtect(slot, sizeof *slot, PAGE_READWRITE, &old)) {
		return;
	}
	*slot = (DWORD)(stub - base);
	VirtualProtect(slot, sizeof *slot, old, &old);
}
