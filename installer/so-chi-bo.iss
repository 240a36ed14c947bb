; Inno Setup 6 script for Sổ chi bộ: the Windows setup program SoChiBo-<version>-setup.exe.
;
; Build it with `python installer\build.py` (docs/windows-build.md), which first makes the bundle
; dist\SoChiBo with PyInstaller and then runs ISCC with the version from pyproject.toml:
;   ISCC /DAppVersion=0.1.0 /DAppVersionNumbers=0.1.0.0 installer\so-chi-bo.iss
; Compiled by hand (Inno Setup IDE), it reads the version from dist\SoChiBo\SoChiBo.exe instead,
; whose version resource the build also wrote from pyproject.toml.
;
; USER DATA IS NEVER DELETED. The program keeps the branch's database, its backups and settings in
; the user's data folder, %APPDATA%\SoChiBo (services/paths.py: platformdirs user_data_dir, roaming),
; never in the installation folder {app}. Setup only writes {app} and the shortcuts; uninstall only
; removes what setup installed. There is deliberately no [UninstallDelete] entry, and none may ever
; name {userappdata}, {localappdata} or the data folder. After uninstalling, a message tells the user
; where the data still is. Installing again (or a newer version) finds the data as it was.
;
; Saved as UTF-8 with a byte order mark, so that Inno Setup reads the Vietnamese letters.

#define AppName "Sổ chi bộ"
#define AppExe "SoChiBo.exe"
#define AppFolder "SoChiBo"

; SourcePath is this script's folder (with a trailing backslash).
#ifndef BundleDir
  #define BundleDir SourcePath + "..\dist\SoChiBo"
#endif
#ifndef OutputDir
  #define OutputDir SourcePath + "..\dist"
#endif
#ifndef AppVersionNumbers
  #define AppVersionNumbers GetVersionNumbersString(AddBackslash(BundleDir) + AppExe)
#endif
#ifndef AppVersion
  #define AppVersion AppVersionNumbers
#endif

[Setup]
; AppId identifies this program for ever: a later setup with the same AppId upgrades the
; installation in place (same folder, same entry in "Apps & features"). Never change it.
AppId={{8F2C4A7E-5B1D-4E3A-9C6F-2D7B1E0A9C41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersionNumbers}
VersionInfoProductName={#AppName}
VersionInfoDescription=Cài đặt {#AppName}
; Per-user installation: no administrator rights, no UAC prompt. {autopf} is then
; %LOCALAPPDATA%\Programs, and the shortcuts go to the user's own Start menu and desktop.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppFolder}
DisableDirPage=auto
UsePreviousAppDir=yes
DisableProgramGroupPage=yes
DisableWelcomePage=no
DisableReadyPage=no
; Qt 6 needs 64-bit Windows 10 or newer.
MinVersion=10.0
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Upgrading while the program is open: the files in use are found and the program is closed first
; (the database is in %APPDATA% and every change is already committed, so nothing is lost).
CloseApplications=yes
RestartApplications=no
SetupIconFile=..\resources\icons\app.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
OutputDir={#OutputDir}
OutputBaseFilename=SoChiBo-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
ShowLanguageDialog=no
SetupLogging=yes

[Languages]
Name: "vi"; MessagesFile: "compiler:Default.isl,vietnamese.isl"

[CustomMessages]
vi.DataKeptTitle=Dữ liệu vẫn được giữ
vi.DataKept=Đã gỡ chương trình Sổ chi bộ. Dữ liệu của chi bộ (sổ đảng viên, biên bản, các bản sao lưu) KHÔNG bị xóa, vẫn nằm trong thư mục:%n%n%1%n%nCài lại chương trình thì dữ liệu vẫn còn nguyên như cũ.
vi.StartMenuComment=Sổ sách của bí thư chi bộ

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; Upgrade in place: the program's own files of the previous version go first, so that no module,
; Qt plugin or database upgrade script of an older version stays behind beside the new ones.
; {app}\_internal holds only program files (never data).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; The whole one-folder bundle. `portable` is the marker of the ZIP variant and must never be
; installed (the data would then go beside the program instead of %APPDATA%).
Source: "{#BundleDir}\*"; DestDir: "{app}"; Excludes: "portable,\data\*,__pycache__,*.pyc"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "{cm:StartMenuComment}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "{cm:StartMenuComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  { Tell the user that the branch's data is still there, and where. }
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent() then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [ExpandConstant('{userappdata}\{#AppFolder}')]),
      mbInformation, MB_OK);
end;
