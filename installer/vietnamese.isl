; *** Sổ chi bộ: Vietnamese messages for the Inno Setup wizard and uninstaller (Inno Setup 6) ***
;
; Written for this project. The .iss loads it after compiler:Default.isl, so any message this file
; lacks falls back to English; names that an older Inno Setup does not know only cause a warning.
; Saved as UTF-8 with a byte order mark, which Inno Setup needs to read the Vietnamese letters.
; Messages that end without a full stop in Default.isl must not get one here (Inno Setup adds it).

[LangOptions]
LanguageName=Ti<1EBF>ng Vi<1EC7>t
LanguageID=$042A
LanguageCodePage=0

[Messages]

; *** Application titles
SetupAppTitle=Cài đặt
SetupWindowTitle=Cài đặt - %1
UninstallAppTitle=Gỡ cài đặt
UninstallAppFullTitle=Gỡ cài đặt %1

; *** Misc. common
InformationTitle=Thông tin
ConfirmTitle=Xác nhận
ErrorTitle=Lỗi

; *** SetupLdr messages
SetupLdrStartupMessage=Chương trình sẽ cài đặt %1. Bạn có muốn tiếp tục không?
LdrCannotCreateTemp=Không tạo được tệp tạm. Đã dừng cài đặt
LdrCannotExecTemp=Không chạy được tệp trong thư mục tạm. Đã dừng cài đặt
HelpTextNote=

; *** Startup error messages
LastErrorMessage=%1.%n%nLỗi %2: %3
SetupFileMissing=Thiếu tệp %1 trong thư mục cài đặt. Hãy khắc phục hoặc lấy một bản cài đặt mới.
SetupFileCorrupt=Các tệp cài đặt bị hỏng. Hãy lấy một bản cài đặt mới.
SetupFileCorruptOrWrongVer=Các tệp cài đặt bị hỏng hoặc không dùng được với phiên bản trình cài đặt này. Hãy khắc phục hoặc lấy một bản cài đặt mới.
InvalidParameter=Dòng lệnh có một tham số không hợp lệ:%n%n%1
SetupAlreadyRunning=Trình cài đặt đang chạy rồi.
WindowsVersionNotSupported=Chương trình này không chạy được trên phiên bản Windows của máy tính này.
WindowsServicePackRequired=Chương trình này cần %1 Service Pack %2 trở lên.
NotOnThisPlatform=Chương trình này không chạy được trên %1.
OnlyOnThisPlatform=Chương trình này chỉ chạy được trên %1.
OnlyOnTheseArchitectures=Chương trình này chỉ cài được trên các phiên bản Windows dành cho loại bộ xử lý sau:%n%n%1
WinVersionTooLowError=Chương trình này cần %1 phiên bản %2 trở lên.
WinVersionTooHighError=Chương trình này không cài được trên %1 phiên bản %2 trở lên.
AdminPrivilegesRequired=Bạn phải đăng nhập bằng tài khoản quản trị (administrator) để cài đặt chương trình này.
PowerUserPrivilegesRequired=Bạn phải đăng nhập bằng tài khoản quản trị hoặc thuộc nhóm Power Users để cài đặt chương trình này.
SetupAppRunningError=Trình cài đặt thấy %1 đang mở.%n%nHãy đóng tất cả các cửa sổ của chương trình đó, rồi bấm OK để tiếp tục, hoặc bấm Hủy để thoát.
UninstallAppRunningError=Trình gỡ cài đặt thấy %1 đang mở.%n%nHãy đóng tất cả các cửa sổ của chương trình đó, rồi bấm OK để tiếp tục, hoặc bấm Hủy để thoát.

; *** Startup questions
PrivilegesRequiredOverrideTitle=Chọn cách cài đặt
PrivilegesRequiredOverrideInstruction=Chọn cách cài đặt
PrivilegesRequiredOverrideText1=%1 có thể cài cho mọi người dùng máy này (cần quyền quản trị), hoặc chỉ cho riêng bạn.
PrivilegesRequiredOverrideText2=%1 có thể cài chỉ cho riêng bạn, hoặc cho mọi người dùng máy này (cần quyền quản trị).
PrivilegesRequiredOverrideAllUsers=Cài cho &mọi người dùng
PrivilegesRequiredOverrideAllUsersRecommended=Cài cho &mọi người dùng (nên chọn)
PrivilegesRequiredOverrideCurrentUser=Chỉ cài cho &riêng tôi
PrivilegesRequiredOverrideCurrentUserRecommended=Chỉ cài cho &riêng tôi (nên chọn)

; *** Misc. errors
ErrorCreatingDir=Trình cài đặt không tạo được thư mục "%1"
ErrorTooManyFilesInDir=Không tạo được tệp trong thư mục "%1" vì thư mục này có quá nhiều tệp

; *** Setup common messages
ExitSetupTitle=Thoát cài đặt
ExitSetupMessage=Việc cài đặt chưa xong. Nếu thoát bây giờ, chương trình sẽ không được cài.%n%nBạn có thể chạy lại trình cài đặt vào lúc khác để cài cho xong.%n%nThoát cài đặt?
AboutSetupMenuItem=&Giới thiệu trình cài đặt...
AboutSetupTitle=Giới thiệu trình cài đặt
AboutSetupMessage=%1 phiên bản %2%n%3%n%nTrang chủ của %1:%n%4
AboutSetupNote=
TranslatorNote=

; *** Buttons
ButtonBack=< &Quay lại
ButtonNext=&Tiếp tục >
ButtonInstall=&Cài đặt
ButtonOK=OK
ButtonCancel=Hủy
ButtonYes=&Có
ButtonYesToAll=Có với &tất cả
ButtonNo=&Không
ButtonNoToAll=K&hông với tất cả
ButtonFinish=&Hoàn tất
ButtonBrowse=&Chọn...
ButtonWizardBrowse=C&họn...
ButtonNewFolder=&Tạo thư mục mới
ButtonStopDownload=&Dừng tải về
ButtonStopExtraction=&Dừng giải nén

; *** "Select Language" dialog messages
SelectLanguageTitle=Chọn ngôn ngữ cài đặt
SelectLanguageLabel=Chọn ngôn ngữ dùng trong khi cài đặt.

; *** Common wizard text
ClickNext=Bấm Tiếp tục để làm tiếp, hoặc bấm Hủy để thoát cài đặt.
BeveledLabel=
BrowseDialogTitle=Chọn thư mục
BrowseDialogLabel=Chọn một thư mục trong danh sách dưới đây, rồi bấm OK.
NewFolderName=Thư mục mới

; *** "Welcome" wizard page
WelcomeLabel1=Chào mừng bạn đến với trình cài đặt [name]
WelcomeLabel2=Trình cài đặt sẽ cài [name/ver] vào máy tính của bạn.%n%nNên đóng các chương trình khác trước khi tiếp tục.

; *** "Password" wizard page
WizardPassword=Mật khẩu
PasswordLabel1=Bản cài đặt này có mật khẩu bảo vệ.
PasswordLabel3=Hãy nhập mật khẩu, rồi bấm Tiếp tục. Mật khẩu phân biệt chữ hoa và chữ thường.
PasswordEditLabel=&Mật khẩu:
IncorrectPassword=Mật khẩu không đúng. Hãy nhập lại.

; *** "License Agreement" wizard page
WizardLicense=Thỏa thuận sử dụng
LicenseLabel=Hãy đọc các thông tin quan trọng sau trước khi tiếp tục.
LicenseLabel3=Hãy đọc thỏa thuận sử dụng sau. Bạn phải đồng ý với các điều khoản này thì mới cài đặt tiếp được.
LicenseAccepted=Tôi &đồng ý với thỏa thuận
LicenseNotAccepted=Tôi &không đồng ý với thỏa thuận

; *** "Information" wizard pages
WizardInfoBefore=Thông tin
InfoBeforeLabel=Hãy đọc các thông tin quan trọng sau trước khi tiếp tục.
InfoBeforeClickLabel=Khi đã sẵn sàng cài đặt tiếp, hãy bấm Tiếp tục.
WizardInfoAfter=Thông tin
InfoAfterLabel=Hãy đọc các thông tin quan trọng sau trước khi tiếp tục.
InfoAfterClickLabel=Khi đã sẵn sàng cài đặt tiếp, hãy bấm Tiếp tục.

; *** "User Information" wizard page
WizardUserInfo=Thông tin người dùng
UserInfoDesc=Hãy nhập thông tin của bạn.
UserInfoName=&Tên người dùng:
UserInfoOrg=&Cơ quan, đơn vị:
UserInfoSerial=&Số sê-ri:
UserInfoNameRequired=Bạn phải nhập tên.

; *** "Select Destination Location" wizard page
WizardSelectDir=Chọn nơi cài đặt
SelectDirDesc=Cài [name] vào đâu?
SelectDirLabel3=Trình cài đặt sẽ cài [name] vào thư mục sau.
SelectDirBrowseLabel=Bấm Tiếp tục để làm tiếp. Nếu muốn chọn thư mục khác, hãy bấm Chọn.
DiskSpaceGBLabel=Cần ít nhất [gb] GB dung lượng đĩa còn trống.
DiskSpaceMBLabel=Cần ít nhất [mb] MB dung lượng đĩa còn trống.
CannotInstallToNetworkDrive=Không cài được vào ổ đĩa mạng.
CannotInstallToUNCPath=Không cài được vào đường dẫn mạng (UNC).
InvalidPath=Bạn phải nhập đường dẫn đầy đủ có tên ổ đĩa, ví dụ:%n%nC:\APP%n%nhoặc đường dẫn mạng dạng:%n%n\\server\share
InvalidDrive=Ổ đĩa hoặc thư mục mạng bạn chọn không có hoặc không truy cập được. Hãy chọn nơi khác.
DiskSpaceWarningTitle=Không đủ dung lượng đĩa
DiskSpaceWarning=Cần ít nhất %1 KB dung lượng trống để cài đặt, nhưng ổ đĩa đã chọn chỉ còn %2 KB.%n%nBạn vẫn muốn tiếp tục?
DirNameTooLong=Tên thư mục hoặc đường dẫn quá dài.
InvalidDirName=Tên thư mục không hợp lệ.
BadDirName32=Tên thư mục không được chứa các ký tự sau:%n%n%1
DirExistsTitle=Thư mục đã có
DirExists=Thư mục:%n%n%1%n%nđã có. Bạn vẫn muốn cài vào thư mục này?
DirDoesntExistTitle=Thư mục chưa có
DirDoesntExist=Thư mục:%n%n%1%n%nchưa có. Bạn có muốn tạo thư mục này không?

; *** "Select Components" wizard page
WizardSelectComponents=Chọn thành phần
SelectComponentsDesc=Cài những thành phần nào?
SelectComponentsLabel2=Đánh dấu các thành phần muốn cài, bỏ dấu các thành phần không muốn cài. Bấm Tiếp tục khi đã sẵn sàng.
FullInstallation=Cài đầy đủ
CompactInstallation=Cài gọn
CustomInstallation=Tự chọn thành phần
NoUninstallWarningTitle=Thành phần đã có
NoUninstallWarning=Máy tính đã có sẵn các thành phần sau:%n%n%1%n%nBỏ chọn chúng sẽ không gỡ chúng đi.%n%nBạn vẫn muốn tiếp tục?
ComponentSize1=%1 KB
ComponentSize2=%1 MB
ComponentSize3=%1 GB
ComponentsDiskSpaceGBLabel=Các thành phần đã chọn cần ít nhất [gb] GB dung lượng đĩa.
ComponentsDiskSpaceMBLabel=Các thành phần đã chọn cần ít nhất [mb] MB dung lượng đĩa.

; *** "Select Additional Tasks" wizard page
WizardSelectTasks=Chọn việc làm thêm
SelectTasksDesc=Trình cài đặt làm thêm những việc gì?
SelectTasksLabel2=Chọn những việc trình cài đặt làm thêm khi cài [name], rồi bấm Tiếp tục.

; *** "Select Start Menu Folder" wizard page
WizardSelectProgramGroup=Chọn thư mục trong menu Start
SelectStartMenuFolderDesc=Đặt lối tắt của chương trình vào đâu?
SelectStartMenuFolderLabel3=Trình cài đặt sẽ tạo lối tắt của chương trình trong thư mục sau của menu Start.
SelectStartMenuFolderBrowseLabel=Bấm Tiếp tục để làm tiếp. Nếu muốn chọn thư mục khác, hãy bấm Chọn.
MustEnterGroupName=Bạn phải nhập tên thư mục.
GroupNameTooLong=Tên thư mục hoặc đường dẫn quá dài.
InvalidGroupName=Tên thư mục không hợp lệ.
BadGroupName=Tên thư mục không được chứa các ký tự sau:%n%n%1
NoProgramGroupCheck2=&Không tạo thư mục trong menu Start

; *** "Ready to Install" wizard page
WizardReady=Sẵn sàng cài đặt
ReadyLabel1=Trình cài đặt đã sẵn sàng cài [name] vào máy tính của bạn.
ReadyLabel2a=Bấm Cài đặt để bắt đầu, hoặc bấm Quay lại nếu muốn xem lại hay thay đổi lựa chọn.
ReadyLabel2b=Bấm Cài đặt để bắt đầu.
ReadyMemoUserInfo=Thông tin người dùng:
ReadyMemoDir=Thư mục cài đặt:
ReadyMemoType=Kiểu cài đặt:
ReadyMemoComponents=Các thành phần đã chọn:
ReadyMemoGroup=Thư mục trong menu Start:
ReadyMemoTasks=Việc làm thêm:

; *** TDownloadWizardPage wizard page and DownloadTemporaryFile
DownloadingLabel=Đang tải thêm tệp...
DownloadingLabel2=Đang tải tệp...
StopDownload=Bạn có chắc muốn dừng tải về không?
ErrorDownloadAborted=Đã dừng tải về
ErrorDownloadFailed=Tải về không được: %1 %2
ErrorDownloadSizeFailed=Không lấy được kích thước: %1 %2
ErrorProgress=Tiến độ không hợp lệ: %1 trên %2
ErrorFileSize=Kích thước tệp không đúng: cần %1, thực tế %2

; *** TExtractionWizardPage wizard page and ExtractArchive
ExtractionLabel=Đang giải nén thêm tệp...
ExtractingLabel=Đang giải nén tệp...
StopExtraction=Bạn có chắc muốn dừng giải nén không?
ErrorExtractionAborted=Đã dừng giải nén
ErrorExtractionFailed=Giải nén không được: %1

; *** Archive extraction failure details
ArchiveIncorrectPassword=Mật khẩu không đúng
ArchiveIsCorrupted=Tệp nén bị hỏng
ArchiveUnsupportedFormat=Không đọc được loại tệp nén này

; *** "Preparing to Install" wizard page
WizardPreparing=Chuẩn bị cài đặt
PreparingDesc=Trình cài đặt đang chuẩn bị cài [name] vào máy tính của bạn.
PreviousInstallNotCompleted=Lần cài đặt hoặc gỡ bỏ chương trình trước chưa xong. Bạn cần khởi động lại máy tính để hoàn tất việc đó.%n%nSau khi khởi động lại, hãy chạy lại trình cài đặt để cài [name].
CannotContinue=Không cài đặt tiếp được. Hãy bấm Hủy để thoát.
ApplicationsFound=Các chương trình sau đang dùng những tệp cần cập nhật. Nên để trình cài đặt tự đóng các chương trình này.
ApplicationsFound2=Các chương trình sau đang dùng những tệp cần cập nhật. Nên để trình cài đặt tự đóng các chương trình này. Cài đặt xong, trình cài đặt sẽ thử mở lại chúng.
CloseApplications=&Tự động đóng các chương trình
DontCloseApplications=&Không đóng các chương trình
ErrorCloseApplications=Trình cài đặt không tự đóng được tất cả các chương trình. Trước khi tiếp tục, bạn nên tự đóng các chương trình đang dùng những tệp cần cập nhật.
PrepareToInstallNeedsRestart=Cần khởi động lại máy tính. Sau khi khởi động lại, hãy chạy lại trình cài đặt để cài xong [name].%n%nKhởi động lại máy bây giờ?

; *** "Installing" wizard page
WizardInstalling=Đang cài đặt
InstallingLabel=Xin chờ trong khi trình cài đặt cài [name] vào máy tính của bạn.

; *** "Setup Completed" wizard page
FinishedHeadingLabel=Đã cài đặt xong [name]
FinishedLabelNoIcons=[name] đã được cài vào máy tính của bạn.
FinishedLabel=[name] đã được cài vào máy tính của bạn. Có thể mở chương trình bằng các lối tắt vừa tạo.
ClickFinish=Bấm Hoàn tất để đóng trình cài đặt.
FinishedRestartLabel=Để cài xong [name], cần khởi động lại máy tính. Khởi động lại bây giờ?
FinishedRestartMessage=Để cài xong [name], cần khởi động lại máy tính.%n%nKhởi động lại bây giờ?
ShowReadmeCheck=Có, tôi muốn xem tệp hướng dẫn
YesRadio=&Có, khởi động lại máy tính ngay
NoRadio=&Không, tôi sẽ khởi động lại máy sau
RunEntryExec=Mở %1
RunEntryShellExec=Xem %1

; *** "Setup Needs the Next Disk" stuff
ChangeDiskTitle=Cần đĩa tiếp theo
SelectDiskLabel2=Hãy đưa đĩa %1 vào rồi bấm OK.%n%nNếu các tệp trên đĩa này nằm ở thư mục khác với thư mục dưới đây, hãy nhập đúng đường dẫn hoặc bấm Chọn.
PathLabel=Đường &dẫn:
FileNotInDir2=Không tìm thấy tệp "%1" trong "%2". Hãy đưa đúng đĩa vào hoặc chọn thư mục khác.
SelectDirectoryLabel=Hãy cho biết vị trí của đĩa tiếp theo.

; *** Installation phase messages
SetupAborted=Chưa cài đặt xong.%n%nHãy khắc phục sự cố rồi chạy lại trình cài đặt.
AbortRetryIgnoreSelectAction=Chọn cách xử lý
AbortRetryIgnoreRetry=&Thử lại
AbortRetryIgnoreIgnore=&Bỏ qua lỗi và làm tiếp
AbortRetryIgnoreCancel=Hủy cài đặt
RetryCancelSelectAction=Chọn cách xử lý
RetryCancelRetry=&Thử lại
RetryCancelCancel=Hủy

; *** Installation status messages
StatusClosingApplications=Đang đóng các chương trình...
StatusCreateDirs=Đang tạo thư mục...
StatusExtractFiles=Đang chép tệp...
StatusDownloadFiles=Đang tải tệp...
StatusCreateIcons=Đang tạo lối tắt...
StatusCreateIniEntries=Đang ghi tệp cấu hình INI...
StatusCreateRegistryEntries=Đang ghi vào sổ đăng ký (registry)...
StatusRegisterFiles=Đang đăng ký tệp...
StatusSavingUninstall=Đang lưu thông tin để gỡ cài đặt...
StatusRunProgram=Đang hoàn tất cài đặt...
StatusRestartingApplications=Đang mở lại các chương trình...
StatusRollback=Đang hoàn lại các thay đổi...

; *** Misc. errors
ErrorInternal2=Lỗi bên trong: %1
ErrorFunctionFailedNoCode=%1 không thực hiện được
ErrorFunctionFailed=%1 không thực hiện được; mã lỗi %2
ErrorFunctionFailedWithMessage=%1 không thực hiện được; mã lỗi %2.%n%3
ErrorExecutingProgram=Không chạy được tệp:%n%1

; *** Registry errors
ErrorRegOpenKey=Lỗi khi mở khóa sổ đăng ký:%n%1\%2
ErrorRegCreateKey=Lỗi khi tạo khóa sổ đăng ký:%n%1\%2
ErrorRegWriteKey=Lỗi khi ghi khóa sổ đăng ký:%n%1\%2

; *** INI errors
ErrorIniEntry=Lỗi khi ghi vào tệp INI "%1".

; *** File copying errors
FileAbortRetryIgnoreSkipNotRecommended=&Bỏ qua tệp này (không nên)
FileAbortRetryIgnoreIgnoreNotRecommended=B&ỏ qua lỗi và làm tiếp (không nên)
SourceIsCorrupted=Tệp nguồn bị hỏng
SourceDoesntExist=Không có tệp nguồn "%1"
SourceVerificationFailed=Kiểm tra tệp nguồn không đạt: %1
VerificationSignatureDoesntExist=Không có tệp chữ ký "%1"
VerificationSignatureInvalid=Tệp chữ ký "%1" không hợp lệ
VerificationKeyNotFound=Tệp chữ ký "%1" dùng một khóa không rõ
VerificationFileNameIncorrect=Tên tệp không đúng
VerificationFileTagIncorrect=Nhãn của tệp không đúng
VerificationFileSizeIncorrect=Kích thước tệp không đúng
VerificationFileHashIncorrect=Mã kiểm tra (hash) của tệp không đúng
ExistingFileReadOnly2=Không thay được tệp đang có vì tệp được đặt chế độ chỉ đọc.
ExistingFileReadOnlyRetry=&Bỏ chế độ chỉ đọc rồi thử lại
ExistingFileReadOnlyKeepExisting=&Giữ tệp đang có
ErrorReadingExistingDest=Có lỗi khi đọc tệp đang có:
FileExistsSelectAction=Chọn cách xử lý
FileExists2=Tệp này đã có.
FileExistsOverwriteExisting=&Ghi đè tệp đang có
FileExistsKeepExisting=&Giữ tệp đang có
FileExistsOverwriteOrKeepAll=&Làm như vậy với các trường hợp tiếp theo
ExistingFileNewerSelectAction=Chọn cách xử lý
ExistingFileNewer2=Tệp đang có mới hơn tệp trình cài đặt định chép vào.
ExistingFileNewerOverwriteExisting=&Ghi đè tệp đang có
ExistingFileNewerKeepExisting=&Giữ tệp đang có (nên chọn)
ExistingFileNewerOverwriteOrKeepAll=&Làm như vậy với các trường hợp tiếp theo
ErrorChangingAttr=Có lỗi khi đổi thuộc tính của tệp đang có:
ErrorCreatingTemp=Có lỗi khi tạo tệp trong thư mục cài đặt:
ErrorReadingSource=Có lỗi khi đọc tệp nguồn:
ErrorCopying=Có lỗi khi chép tệp:
ErrorDownloading=Có lỗi khi tải tệp về:
ErrorExtracting=Có lỗi khi giải nén:
ErrorReplacingExistingFile=Có lỗi khi thay tệp đang có:
ErrorRestartReplace=Không thay được tệp khi khởi động lại (RestartReplace):
ErrorRenamingTemp=Có lỗi khi đổi tên tệp trong thư mục cài đặt:
ErrorRegisterServer=Không đăng ký được DLL/OCX: %1
ErrorRegSvr32Failed=RegSvr32 báo lỗi, mã thoát %1
ErrorRegisterTypeLib=Không đăng ký được thư viện kiểu: %1

; *** Uninstall display name markings
UninstallDisplayNameMark=%1 (%2)
UninstallDisplayNameMarks=%1 (%2, %3)
UninstallDisplayNameMark32Bit=32-bit
UninstallDisplayNameMark64Bit=64-bit
UninstallDisplayNameMarkAllUsers=Mọi người dùng
UninstallDisplayNameMarkCurrentUser=Người dùng hiện tại

; *** Post-installation errors
ErrorOpeningReadme=Có lỗi khi mở tệp hướng dẫn.
ErrorRestartingComputer=Trình cài đặt không khởi động lại được máy tính. Hãy tự khởi động lại.

; *** Uninstaller messages
UninstallNotFound=Không có tệp "%1". Không gỡ cài đặt được.
UninstallOpenError=Không mở được tệp "%1". Không gỡ cài đặt được
UninstallUnsupportedVer=Trình gỡ cài đặt phiên bản này không đọc được tệp nhật ký gỡ cài đặt "%1". Không gỡ cài đặt được
UninstallUnknownEntry=Nhật ký gỡ cài đặt có một mục lạ (%1)
ConfirmUninstall=Bạn có chắc muốn gỡ %1 khỏi máy tính không? Dữ liệu của chi bộ không bị xóa.
UninstallOnlyOnWin64=Bản cài đặt này chỉ gỡ được trên Windows 64-bit.
OnlyAdminCanUninstall=Chỉ người dùng có quyền quản trị mới gỡ được bản cài đặt này.
UninstallStatusLabel=Xin chờ trong khi %1 được gỡ khỏi máy tính của bạn.
UninstalledAll=Đã gỡ %1 khỏi máy tính của bạn.
UninstalledMost=Đã gỡ xong %1.%n%nCòn một số mục chưa gỡ được, bạn có thể tự xóa chúng.
UninstalledAndNeedsRestart=Để gỡ xong %1, cần khởi động lại máy tính.%n%nKhởi động lại bây giờ?
UninstallDataCorrupted=Tệp "%1" bị hỏng. Không gỡ cài đặt được

; *** Uninstallation phase messages
ConfirmDeleteSharedFileTitle=Xóa tệp dùng chung?
ConfirmDeleteSharedFile2=Windows cho biết tệp dùng chung sau không còn chương trình nào dùng. Bạn có muốn xóa tệp này không?%n%nNếu vẫn còn chương trình dùng tệp này mà tệp bị xóa, chương trình đó có thể chạy sai. Nếu không chắc, hãy chọn Không: để tệp lại trên máy không gây hại gì.
SharedFileNameLabel=Tên tệp:
SharedFileLocationLabel=Vị trí:
WizardUninstalling=Tình trạng gỡ cài đặt
StatusUninstalling=Đang gỡ %1...

; *** Shutdown block reasons
ShutdownBlockReasonInstallingApp=Đang cài %1.
ShutdownBlockReasonUninstallingApp=Đang gỡ %1.

[CustomMessages]

NameAndVersion=%1 phiên bản %2
AdditionalIcons=Lối tắt:
CreateDesktopIcon=Tạo lối tắt trên &màn hình nền (Desktop)
CreateQuickLaunchIcon=Tạo lối tắt trên thanh &Quick Launch
ProgramOnTheWeb=%1 trên mạng
UninstallProgram=Gỡ %1
LaunchProgram=Mở %1 ngay
AssocFileExtension=&Gắn %1 với các tệp đuôi %2
AssocingFileExtension=Đang gắn %1 với các tệp đuôi %2...
AutoStartProgramGroupDescription=Khởi động cùng Windows:
AutoStartProgram=Tự mở %1 khi bật máy
AddonHostProgramNotFound=Không tìm thấy %1 trong thư mục bạn chọn.%n%nBạn vẫn muốn tiếp tục?
