; Parley's Windows installer (NSIS 3, Unicode). Built by scripts/package-windows.sh:
;   makensis -DVERSION=x.y.z -DBUILD=n -DEXE=Parley.exe -DICON=Parley.ico -DWELCOME=welcome.bmp
;            -DOUTFILE=Parley-Setup-x.y.z.exe parley.nsi
; Installs for all users into Program Files\Parley: Parley.exe, a Start-menu
; and a desktop shortcut, and an uninstaller listed in Settings → Apps.
; `Parley-Setup-x.y.z.exe /S` installs silently; `/D=C:\path` (last) chooses
; the folder. The uninstaller keeps the user's settings (%APPDATA%\fyne\dev.parley.app).

; 64-bit installer: runs where Parley runs (and under a 64-bit-only Wine).
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma

!ifndef VERSION
  !error "define VERSION, BUILD, EXE, ICON and OUTFILE (see scripts/package-windows.sh)"
!endif
!ifndef BUILD
  !error "define VERSION, BUILD, EXE, ICON and OUTFILE (see scripts/package-windows.sh)"
!endif
!ifndef EXE
  !error "define VERSION, BUILD, EXE, ICON and OUTFILE (see scripts/package-windows.sh)"
!endif
!ifndef ICON
  !error "define VERSION, BUILD, EXE, ICON and OUTFILE (see scripts/package-windows.sh)"
!endif
!ifndef OUTFILE
  !error "define VERSION, BUILD, EXE, ICON and OUTFILE (see scripts/package-windows.sh)"
!endif
!ifndef WELCOME
  !error "define WELCOME, the welcome page's 164x314 BMP (see scripts/package-windows.sh)"
!endif

!define APP       "Parley"
!define PUBLISHER "Parley"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\dev.parley.app"
!define UNINSTEXE "Uninstall Parley.exe"

!include "MUI2.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"

Name "${APP}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APP}"
InstallDirRegKey HKLM "Software\${APP}" "InstallDir"
RequestExecutionLevel admin
BrandingText "${APP} ${VERSION}"

VIProductVersion "${VERSION}.${BUILD}"
VIFileVersion "${VERSION}.${BUILD}"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}.${BUILD}"
VIAddVersionKey "FileDescription" "${APP} installer"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "LegalCopyright" "${PUBLISHER}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_WELCOMEFINISHPAGE_BITMAP "${WELCOME}"
!define MUI_UNWELCOMEFINISHPAGE_BITMAP "${WELCOME}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\Parley.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APP}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APP} needs 64-bit Windows."
    Abort
  ${EndIf}
  SetRegView 64
FunctionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

Section "${APP}" SecApp
  SectionIn RO
  SetShellVarContext all
  SetOutPath "$INSTDIR"
  File "/oname=Parley.exe" "${EXE}"
  WriteUninstaller "$INSTDIR\${UNINSTEXE}"

  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\Parley.exe" "" "$INSTDIR\Parley.exe" 0
  CreateShortcut "$DESKTOP\${APP}.lnk" "$INSTDIR\Parley.exe" "" "$INSTDIR\Parley.exe" 0

  WriteRegStr HKLM "Software\${APP}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayName" "${APP}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\Parley.exe,0"
  WriteRegStr HKLM "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "UninstallString" '"$INSTDIR\${UNINSTEXE}"'
  WriteRegStr HKLM "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTEXE}" /S'
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINSTKEY}" "EstimatedSize" "$0"
SectionEnd

Section "Uninstall"
  SetShellVarContext all
  Delete "$DESKTOP\${APP}.lnk"
  Delete "$SMPROGRAMS\${APP}.lnk"
  Delete "$INSTDIR\Parley.exe"
  Delete "$INSTDIR\${UNINSTEXE}"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTKEY}"
  DeleteRegKey HKLM "Software\${APP}"
SectionEnd
