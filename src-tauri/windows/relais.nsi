; The Windows installer, built by `cargo xtask dist --windows` with Debian's makensis (NSIS 3):
; Tauri's own NSIS bundler downloads its plugins from GitHub, which build machines cannot reach.
; makensis is given -DVERSION=…, -DSTAGE=<folder holding the files>, -DICON=… and -DOUTFILE=….
Unicode true
; The app is 64-bit only: a 64-bit installer, which also runs under a 64-bit-only Wine.
Target amd64-unicode
SetCompressor /SOLID lzma

!include "MUI2.nsh"
!include "x64.nsh"
!include "StrFunc.nsh"
${UnStrRep}

!define ENVIRONMENT "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"
!define UNINSTALL "Software\Microsoft\Windows\CurrentVersion\Uninstall\Relais"

Name "Relais"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\Relais"
RequestExecutionLevel admin
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1036 "ProductName" "Relais"
VIAddVersionKey /LANG=1036 "FileDescription" "Relais : la caisse de secours hors ligne"
VIAddVersionKey /LANG=1036 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1036 "CompanyName" "Relais"
VIAddVersionKey /LANG=1036 "LegalCopyright" "Relais"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\relais-app.exe"
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
; The first language is the installer's default: French first.
!insertmacro MUI_LANGUAGE "French"
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  SetRegView 64
FunctionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

Section "Relais"
  SetShellVarContext all
  SetOutPath "$INSTDIR"
  File "${STAGE}\relais-app.exe"
  File "${STAGE}\relais.exe"
  ; The gnu build of the app loads WebView2 through this DLL, which must sit beside it.
  File "${STAGE}\WebView2Loader.dll"
  File "${STAGE}\LISEZMOI.txt"
  WriteUninstaller "$INSTDIR\desinstaller-relais.exe"
  CreateShortcut "$SMPROGRAMS\Relais.lnk" "$INSTDIR\relais-app.exe"
  ; `relais` on the PATH of every new command prompt (the machine's PATH, once).
  ReadRegStr $0 HKLM "${ENVIRONMENT}" "Path"
  StrCmp $0 "" 0 +3
    WriteRegExpandStr HKLM "${ENVIRONMENT}" "Path" "$INSTDIR"
    Goto path_done
  WriteRegExpandStr HKLM "${ENVIRONMENT}" "Path" "$0;$INSTDIR"
  path_done:
  SendMessage ${HWND_BROADCAST} ${WM_WININICHANGE} 0 "STR:Environment" /TIMEOUT=5000
  WriteRegStr HKLM "${UNINSTALL}" "DisplayName" "Relais"
  WriteRegStr HKLM "${UNINSTALL}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL}" "Publisher" "Relais"
  WriteRegStr HKLM "${UNINSTALL}" "DisplayIcon" "$INSTDIR\relais-app.exe"
  WriteRegStr HKLM "${UNINSTALL}" "UninstallString" '"$INSTDIR\desinstaller-relais.exe"'
  WriteRegDWORD HKLM "${UNINSTALL}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL}" "NoRepair" 1
SectionEnd

; Removes the program, never the tills: their data stays in %APPDATA%\Relais.
Section "Uninstall"
  SetShellVarContext all
  Delete "$SMPROGRAMS\Relais.lnk"
  Delete "$INSTDIR\relais-app.exe"
  Delete "$INSTDIR\relais.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\LISEZMOI.txt"
  Delete "$INSTDIR\desinstaller-relais.exe"
  RMDir "$INSTDIR"
  ReadRegStr $0 HKLM "${ENVIRONMENT}" "Path"
  ${UnStrRep} $0 $0 ";$INSTDIR" ""
  ${UnStrRep} $0 $0 "$INSTDIR" ""
  WriteRegExpandStr HKLM "${ENVIRONMENT}" "Path" "$0"
  SendMessage ${HWND_BROADCAST} ${WM_WININICHANGE} 0 "STR:Environment" /TIMEOUT=5000
  DeleteRegKey HKLM "${UNINSTALL}"
SectionEnd
