"""The guides every commune starts with, written for Cầu Nối from public sources.

Facts come from /work/shared/reference/procedures-vietnam.md (state media, legal-news
sites, .gov.vn pages, 2025–2026); the wording is ours, in plain language, one phone
screen each. App menu names change between versions: secretaries re-check them on the
live VNeID app and dichvucong.gov.vn and correct a guide in its edit page (versioned).

Plain data only (no models): the data migration that installs these and
`dispatch.guides.services.install_seed_guides` both read it.
"""

from __future__ import annotations

from typing import Any

VNEID_STORE = "https://vneid.gov.vn"
PORTAL = "https://dichvucong.gov.vn"
OFFICE_VI = "Trung tâm phục vụ hành chính công xã"
OFFICE_EN = "The commune public-administration service centre"
POLICE_VI = "Công an xã (mang theo thẻ căn cước)"
POLICE_EN = "The commune police station (bring your ID card)"
HOURS_VI = "Sáng 7:30–11:30, chiều 13:30–17:00, thứ Hai đến thứ Sáu"
HOURS_EN = "Mon–Fri, 7:30–11:30 and 13:30–17:00"


def _steps(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"vi": vi, "en": en, "picture": ""} for vi, en in pairs]


GUIDES: list[dict[str, Any]] = [
    {
        "slug": "kich-hoat-vneid-muc-2",
        "keyword": "vneid",
        "aliases": "dinhdanh kichhoat muc2 vneid2",
        "category": "vneid",
        "voice_rank": 1,
        "home_visit": True,
        "title_vi": "Kích hoạt tài khoản VNeID mức 2",
        "title_en": "Activate your level-2 VNeID account",
        "audience_vi": "Người từ 14 tuổi có thẻ căn cước gắn chip, đã đăng ký mức 2 tại"
        " công an và đã nhận tin nhắn “đã được phê duyệt”.",
        "audience_en": "People aged 14+ with a chip ID card who registered level 2 at"
        " the police and got the “approved” SMS.",
        "steps": _steps(
            (
                "Chờ tin nhắn báo tài khoản đã được phê duyệt.",
                "Wait for the SMS saying your account was approved.",
            ),
            (
                "Cài ứng dụng VNeID từ CH Play hoặc App Store (không cài từ đường link"
                " người lạ gửi).",
                "Install VNeID from Google Play or the App Store only (never from a"
                " link someone sends).",
            ),
            (
                "Bấm “Kích hoạt tài khoản định danh điện tử”, nhập số định danh cá nhân"
                " và số điện thoại, bấm “Gửi yêu cầu”.",
                "Tap “Kích hoạt tài khoản định danh điện tử”, enter your ID number and"
                " phone number, tap “Gửi yêu cầu”.",
            ),
            (
                "Nhập mã OTP trong tin nhắn.",
                "Enter the OTP code from the SMS.",
            ),
            (
                "Đặt mật khẩu (8–20 ký tự, có chữ hoa, chữ thường, số, ký tự đặc biệt),"
                " rồi đặt mã passcode 6 số. Ghi lại và cất kỹ.",
                "Set a password (8–20 characters: upper and lower case, a digit, a"
                " symbol), then a 6-digit passcode. Write them down and keep them safe.",
            ),
        ),
        "papers_vi": "Điện thoại có số đã đăng ký với công an\nThẻ căn cước gắn chip",
        "papers_en": "The phone with the number you registered\nYour chip ID card",
        "fees_vi": "Không mất phí.",
        "fees_en": "Free.",
        "online_url": VNEID_STORE,
        "office_vi": POLICE_VI,
        "office_en": POLICE_EN,
        "office_hours_vi": HOURS_VI,
        "office_hours_en": HOURS_EN,
        "duration_vi": "Khoảng 10 phút. Công an duyệt trong 3 ngày làm việc (7 ngày nếu"
        " thẻ hết hạn).",
        "duration_en": "About 10 minutes. The police approve within 3 working days (7 if"
        " your card has expired).",
        "mistakes_vi": "Một số điện thoại chỉ dùng được cho một tài khoản VNeID.\n"
        "Chỉ dùng vân tay, quên mật khẩu: khi đổi máy sẽ không vào được.\n"
        "Không ai được làm mức 2 thay bạn: phải tự đến công an chụp ảnh, lấy vân tay.",
        "mistakes_en": "One phone number can hold only one VNeID account.\n"
        "Logging in only by fingerprint and forgetting the password: you get stuck"
        " after changing phones.\n"
        "Nobody can do level 2 for you: you must go to the police in person.",
        "sms_vi": "1.Cho tin nhan da phe duyet 2.Cai VNeID tu CH Play/App Store"
        " 3.Bam Kich hoat, nhap so dinh danh+SDT 4.Nhap OTP 5.Dat mat khau, passcode"
        " 6 so",
        "sms_en": "1.Wait for the approved SMS 2.Install VNeID from the store"
        " 3.Tap Kich hoat, enter ID no.+phone 4.Enter OTP 5.Set password and"
        " 6-digit passcode",
    },
    {
        "slug": "vneid-quen-mat-khau",
        "keyword": "matkhau",
        "aliases": "quenmatkhau quenmk mk passcode",
        "category": "vneid",
        "voice_rank": 2,
        "home_visit": True,
        "title_vi": "Quên mật khẩu hoặc passcode VNeID",
        "title_en": "Forgot your VNeID password or passcode",
        "audience_vi": "Người đã có tài khoản VNeID nhưng quên mật khẩu đăng nhập hoặc"
        " mã passcode 6 số.",
        "audience_en": "People with a VNeID account who forgot the password or the"
        " 6-digit passcode.",
        "steps": _steps(
            (
                "Ở màn hình đăng nhập, bấm “Quên mật khẩu”.",
                "On the login screen, tap “Quên mật khẩu”.",
            ),
            (
                "Nhập số định danh cá nhân và số điện thoại, chọn “Nhập thông tin xác"
                " thực” (hoặc quét chip thẻ căn cước), bấm “Gửi yêu cầu”.",
                "Enter your ID number and phone number, choose “Nhập thông tin xác"
                " thực” (or scan the card's chip), tap “Gửi yêu cầu”.",
            ),
            (
                "Nhập họ tên, ngày sinh, ngày cấp thẻ, rồi nhập mã OTP.",
                "Enter your full name, date of birth, card issue date, then the OTP.",
            ),
            ("Đặt mật khẩu mới.", "Set a new password."),
            (
                "Quên passcode: mở một dịch vụ bất kỳ, bấm “Quên passcode”, nhập OTP,"
                " đặt passcode mới.",
                "Forgot the passcode: open any service, tap “Quên passcode”, enter the"
                " OTP, set a new passcode.",
            ),
        ),
        "papers_vi": "Điện thoại có số đã đăng ký VNeID\nThẻ căn cước",
        "papers_en": "The phone with your VNeID number\nYour ID card",
        "fees_vi": "Không mất phí.",
        "fees_en": "Free.",
        "online_url": VNEID_STORE,
        "office_vi": POLICE_VI,
        "office_en": POLICE_EN,
        "office_hours_vi": HOURS_VI,
        "office_hours_en": HOURS_EN,
        "duration_vi": "Khoảng 5 phút.",
        "duration_en": "About 5 minutes.",
        "mistakes_vi": "Mất điện thoại cũ: gọi 1900 0368 để khoá tài khoản trước.\n"
        "Không đọc mã OTP cho bất kỳ ai, kể cả người xưng là công an.",
        "mistakes_en": "Lost your old phone: call 1900 0368 to lock the account first.\n"
        "Never read the OTP to anyone, even someone who says they are police.",
        "sms_vi": "1.Man hinh dang nhap: bam Quen mat khau 2.Nhap so dinh danh+SDT,"
        " Gui yeu cau 3.Nhap ho ten, ngay sinh, ngay cap the 4.Nhap OTP, dat mat khau"
        " moi. Khong doc OTP cho ai",
        "sms_en": "1.Login screen: tap Quen mat khau 2.Enter ID no.+phone, Gui yeu cau"
        " 3.Enter name, birth date, card date 4.Enter OTP, set new password. Never"
        " share the OTP",
    },
    {
        "slug": "vneid-doi-dien-thoai",
        "keyword": "maymoi",
        "aliases": "doimay matmay dienthoaimoi",
        "category": "vneid",
        "voice_rank": None,
        "home_visit": True,
        "title_vi": "Đăng nhập VNeID trên điện thoại mới",
        "title_en": "Log in to VNeID on a new phone",
        "audience_vi": "Người đổi điện thoại, hoặc máy cũ bị mất, bị hỏng.",
        "audience_en": "People who changed phones, or whose old phone was lost or"
        " broken.",
        "steps": _steps(
            (
                "Cài VNeID trên máy mới, đăng nhập, xác nhận “thiết bị mới”.",
                "Install VNeID on the new phone, log in, confirm “new device”.",
            ),
            (
                "Còn máy cũ: mã xác nhận gửi về máy cũ, nhập vào máy mới.",
                "Old phone still works: a code goes to it; type it on the new phone.",
            ),
            (
                "Không còn máy cũ: chọn “Xác thực NFC với thẻ CCCD gắn chip”, áp thẻ"
                " vào lưng máy, nhập OTP.",
                "No old phone: choose “Xác thực NFC với thẻ CCCD gắn chip”, hold the"
                " card to the back of the phone, enter the OTP.",
            ),
            (
                "Máy không có NFC: mượn máy có NFC, xong thì vào Cá nhân → Quản lý"
                " thiết bị → Hủy liên kết trên máy mượn.",
                "Phone without NFC: borrow one that has it, then remove your account"
                " from it (Cá nhân → Quản lý thiết bị → Hủy liên kết).",
            ),
        ),
        "papers_vi": "Thẻ căn cước gắn chip\nSim có số đã đăng ký",
        "papers_en": "Your chip ID card\nThe SIM with your registered number",
        "fees_vi": "Không mất phí.",
        "fees_en": "Free.",
        "online_url": VNEID_STORE,
        "office_vi": POLICE_VI,
        "office_en": POLICE_EN,
        "office_hours_vi": HOURS_VI,
        "office_hours_en": HOURS_EN,
        "duration_vi": "Khoảng 10 phút. Đổi số điện thoại: 7–10 ngày tại công an xã.",
        "duration_en": "About 10 minutes. Changing the phone number: 7–10 days at the"
        " commune police.",
        "mistakes_vi": "Mất máy: gọi 1900 0368 khoá tài khoản ngay.\n"
        "Quên hủy liên kết trên máy mượn.",
        "mistakes_en": "Lost phone: call 1900 0368 to lock the account at once.\n"
        "Forgetting to unlink your account from a borrowed phone.",
        "sms_vi": "1.Cai VNeID may moi, dang nhap, xac nhan thiet bi moi 2.Con may cu:"
        " nhap ma gui ve may cu 3.Mat may cu: chon Xac thuc NFC, ap the can cuoc vao"
        " may, nhap OTP. Mat may: goi 19000368",
        "sms_en": "1.Install VNeID on the new phone, log in, confirm new device 2.Old"
        " phone: type the code it gets 3.No old phone: Xac thuc NFC, hold the ID card"
        " to the phone, OTP. Lost: call 19000368",
    },
    {
        "slug": "dang-nhap-dich-vu-cong",
        "keyword": "dvc",
        "aliases": "dichvucong congdichvucong taikhoandvc dvcqg",
        "category": "portal",
        "voice_rank": 3,
        "home_visit": True,
        "title_vi": "Vào Cổng dịch vụ công quốc gia bằng VNeID",
        "title_en": "Log in to the National Public Service Portal with VNeID",
        "audience_vi": "Người cần nộp hồ sơ trực tuyến. Không cần tạo tài khoản riêng"
        " nữa: dùng tài khoản VNeID.",
        "audience_en": "Anyone filing online. No separate sign-up any more: you use"
        " your VNeID account.",
        "steps": _steps(
            (
                "Mở dichvucong.gov.vn, bấm “Đăng nhập”.",
                "Open dichvucong.gov.vn and tap “Đăng nhập”.",
            ),
            (
                "Chọn “Tài khoản định danh điện tử cấp bởi Bộ Công an dành cho Công"
                " dân”.",
                "Choose “Tài khoản định danh điện tử cấp bởi Bộ Công an dành cho Công"
                " dân”.",
            ),
            (
                "Nhập số định danh cá nhân và mật khẩu VNeID.",
                "Enter your ID number and VNeID password.",
            ),
            (
                "Xác nhận trên ứng dụng VNeID hoặc nhập mã gửi qua SMS.",
                "Confirm in the VNeID app or type the code sent by SMS.",
            ),
        ),
        "papers_vi": "Tài khoản VNeID (nhiều thủ tục cần mức 2)",
        "papers_en": "A VNeID account (many services need level 2)",
        "fees_vi": "Không mất phí.",
        "fees_en": "Free.",
        "online_url": PORTAL,
        "office_vi": OFFICE_VI,
        "office_en": OFFICE_EN,
        "office_hours_vi": HOURS_VI,
        "office_hours_en": HOURS_EN,
        "duration_vi": "Khoảng 5 phút.",
        "duration_en": "About 5 minutes.",
        "mistakes_vi": "Tìm cách “đăng ký tài khoản” riêng: tài khoản cũ của Cổng đã"
        " ngừng từ 30/6/2024.\nTài khoản VNeID mức 1 không đủ cho nhiều thủ tục.",
        "mistakes_en": "Looking for a separate sign-up: old portal accounts stopped on"
        " 30/6/2024.\nA level-1 VNeID account is not enough for many services.",
        "sms_vi": "Khong can tao tai khoan rieng. 1.Vao dichvucong.gov.vn, bam Dang nhap"
        " 2.Chon Tai khoan dinh danh dien tu 3.Nhap so dinh danh + mat khau VNeID"
        " 4.Xac nhan tren app VNeID hoac ma SMS",
        "sms_en": "No separate sign-up. 1.Open dichvucong.gov.vn, Dang nhap 2.Choose the"
        " e-ID account option 3.Enter ID no. + VNeID password 4.Confirm in VNeID or"
        " by SMS code",
    },
    {
        "slug": "thanh-toan-tien-dien-nuoc",
        "keyword": "hoadon",
        "aliases": "tiendien tiennuoc dien nuoc thanhtoan",
        "category": "epayment",
        "voice_rank": 4,
        "home_visit": True,
        "title_vi": "Trả tiền điện, tiền nước bằng ứng dụng ngân hàng",
        "title_en": "Pay the electricity or water bill in your bank app",
        "audience_vi": "Người có tài khoản ngân hàng và ứng dụng ngân hàng trên điện"
        " thoại.",
        "audience_en": "People with a bank account and its app on their phone.",
        "steps": _steps(
            (
                "Mở ứng dụng ngân hàng, chọn “Thanh toán hóa đơn” (tên mục khác nhau"
                " tùy ngân hàng).",
                "Open your bank app and choose bill payment (the menu name differs by"
                " bank).",
            ),
            (
                "Chọn “Điện” hoặc “Nước”, chọn đúng công ty điện lực hoặc công ty"
                " nước của mình.",
                "Choose electricity or water, then your own power or water company.",
            ),
            (
                "Nhập mã khách hàng in trên hóa đơn.",
                "Enter the customer code printed on your bill.",
            ),
            (
                "Kiểm tra tên chủ hộ và số tiền đúng với hóa đơn rồi mới xác nhận.",
                "Check the household name and the amount against the bill before"
                " confirming.",
            ),
            ("Lưu lại biên lai trên ứng dụng.", "Keep the receipt in the app."),
        ),
        "papers_vi": "Hóa đơn gần nhất (để lấy mã khách hàng)\nĐiện thoại có ứng dụng"
        " ngân hàng",
        "papers_en": "Your latest bill (for the customer code)\nA phone with your bank"
        " app",
        "fees_vi": "Thường không mất phí trong ứng dụng ngân hàng.",
        "fees_en": "Usually free in the bank app.",
        "online_url": PORTAL,
        "office_vi": "Quầy giao dịch ngân hàng hoặc điểm thu tiền điện, nước",
        "office_en": "A bank branch or the power or water company's payment point",
        "office_hours_vi": "",
        "office_hours_en": "",
        "duration_vi": "Khoảng 5 phút.",
        "duration_en": "About 5 minutes.",
        "mistakes_vi": "Quét mã QR hoặc bấm link do người lạ gọi điện, nhắn tin gửi:"
        " điện lực không bao giờ đòi thanh toán qua link hay cuộc gọi.\n"
        "Không kiểm tra tên người nhận trước khi chuyển.",
        "mistakes_en": "Scanning a QR code or opening a link from a caller: the power"
        " company never asks for payment by link or phone call.\n"
        "Not checking the recipient's name before paying.",
        "sms_vi": "1.Mo app ngan hang, chon Thanh toan hoa don 2.Chon Dien hoac Nuoc,"
        " chon cong ty cua minh 3.Nhap ma khach hang tren hoa don 4.Kiem tra ten va so"
        " tien roi xac nhan. Khong tra qua link la",
        "sms_en": "1.Open your bank app, bill payment 2.Choose electricity or water and"
        " your company 3.Enter the customer code from the bill 4.Check name and amount,"
        " confirm. Never pay via a stranger's link",
    },
    {
        "slug": "nhan-biet-lua-dao",
        "keyword": "luadao",
        "aliases": "lua scam canhgiac giamao",
        "category": "scam",
        "voice_rank": 5,
        "home_visit": False,
        "title_vi": "Nhận biết 5 kiểu lừa đảo hay gặp",
        "title_en": "Recognise the 5 commonest scams",
        "audience_vi": "Mọi người, nhất là người cao tuổi và người nhà.",
        "audience_en": "Everyone, especially older people and their families.",
        "steps": _steps(
            (
                "Giả công an, viện kiểm sát gọi nói bạn liên quan vụ án, bắt chuyển"
                " tiền vào “tài khoản an toàn”: công an không làm việc qua điện thoại.",
                "Fake police or prosecutors say you are linked to a case and demand a"
                " transfer to a “safe account”: police never handle cases by phone.",
            ),
            (
                "Gửi link hay ứng dụng để “cập nhật VNeID” sau sáp nhập: VNeID chỉ cài"
                " từ kho ứng dụng, mức 2 chỉ làm trực tiếp tại công an.",
                "A link or app to “update VNeID” after the merger: VNeID comes only"
                " from the app store; level 2 is done only in person.",
            ),
            (
                "Giả nhân viên điện lực đòi trả tiền qua mã QR, dọa cắt điện: điện lực"
                " không thu tiền qua link hay cuộc gọi.",
                "Fake power-company staff demand payment by QR and threaten to cut the"
                " power: they never collect by link or phone call.",
            ),
            (
                "Báo con cháu cấp cứu, cần tiền mổ gấp: gọi ngay cho con cháu hoặc nhà"
                " trường; bệnh viện cấp cứu trước, giấy tờ sau.",
                "A child or grandchild “needs surgery money now”: call them or the"
                " school yourself; hospitals treat emergencies first.",
            ),
            (
                "Giả nhân viên ngân hàng “giúp” cài sinh trắc học, đòi mã OTP: chỉ cài"
                " trong ứng dụng chính thức hoặc tại quầy.",
                "Fake bank staff “helping” with biometrics or asking for the OTP: set"
                " it up only in the official app or at the branch.",
            ),
        ),
        "papers_vi": "",
        "papers_en": "",
        "fees_vi": "",
        "fees_en": "",
        "online_url": "https://tinnhiemmang.vn",
        "office_vi": "Công an xã; khẩn cấp gọi 113. Báo cuộc gọi lừa đảo: 156",
        "office_en": "The commune police; in an emergency call 113. Report scam calls:"
        " 156",
        "office_hours_vi": "",
        "office_hours_en": "",
        "duration_vi": "",
        "duration_en": "",
        "mistakes_vi": "Giữ bí mật như kẻ gian dặn: hãy kể ngay với người nhà.\n"
        "Tự trả lại tiền “chuyển nhầm”: báo ngân hàng hoặc công an.\n"
        "Bị lừa rồi: gọi ngay số trên thẻ ngân hàng để khoá tài khoản.",
        "mistakes_en": "Keeping it secret as the caller asks: tell your family at once.\n"
        "Returning a “mistaken transfer” yourself: tell the bank or the police.\n"
        "Already tricked: call the number on your bank card to lock the account.",
        "sms_vi": "Canh giac: cong an khong lam viec qua dien thoai; khong cai VNeID tu"
        " link; dien luc khong thu tien qua link; con chau cap cuu: goi lai kiem tra;"
        " khong doc OTP cho ai. Nghi lua dao: cup may, bao cong an xa",
        "sms_en": "Beware: police never work by phone; never install VNeID from a link;"
        " power companies never bill by link; child in hospital? call back to check;"
        " never share an OTP. Hang up, tell the police",
    },
    {
        "slug": "khai-sinh-truc-tuyen",
        "keyword": "khaisinh",
        "aliases": "giaykhaisinh sinhcon",
        "category": "dossier",
        "voice_rank": 6,
        "home_visit": True,
        "title_vi": "Đăng ký khai sinh trực tuyến cho con",
        "title_en": "Register a birth online",
        "audience_vi": "Cha, mẹ hoặc người giám hộ của trẻ dưới 6 tuổi. Nên làm trong"
        " 60 ngày sau khi sinh.",
        "audience_en": "The father, mother or guardian of a child under 6. Due within"
        " 60 days of the birth.",
        "steps": _steps(
            (
                "Người nộp cần tài khoản VNeID mức 2 của chính mình.",
                "Whoever files needs their own level-2 VNeID account.",
            ),
            (
                "Trên VNeID: Thủ tục hành chính → “Đăng ký khai sinh, đăng ký thường"
                " trú, cấp thẻ BHYT”.",
                "In VNeID: Thủ tục hành chính → “Đăng ký khai sinh, đăng ký thường"
                " trú, cấp thẻ BHYT”.",
            ),
            (
                "Điền tờ khai: thông tin của trẻ, cha mẹ, nơi cư trú.",
                "Fill in the form: the child's, the parents' and the residence details.",
            ),
            (
                "Đính kèm giấy chứng sinh của bệnh viện, kiểm tra 3 tờ khai rồi nộp.",
                "Attach the hospital's birth certificate, review the 3 declarations,"
                " then submit.",
            ),
            (
                "Theo dõi kết quả trên VNeID, Cổng dịch vụ công hoặc tin nhắn.",
                "Follow the result in VNeID, on the portal or by SMS.",
            ),
        ),
        "papers_vi": "Giấy chứng sinh (hoặc giấy cam đoan, người làm chứng)\nKhông cần"
        " giấy đăng ký kết hôn của cha mẹ: cán bộ tự tra",
        "papers_en": "The birth certificate from the hospital (or a witness statement)"
        "\nNo parents' marriage certificate needed: officials look it up",
        "fees_vi": "Miễn phí nếu đăng ký đúng hạn.",
        "fees_en": "Free when registered on time.",
        "online_url": PORTAL,
        "office_vi": OFFICE_VI,
        "office_en": OFFICE_EN,
        "office_hours_vi": HOURS_VI,
        "office_hours_en": HOURS_EN,
        "duration_vi": "3 ngày làm việc (5 ngày nếu cần xác minh).",
        "duration_en": "3 working days (5 if checks are needed).",
        "mistakes_vi": "Được yêu cầu bổ sung mà quá 7 ngày làm việc: hồ sơ bị trả lại.\n"
        "Quên đăng ký thường trú cho trẻ trong 60 ngày: có thể bị phạt.",
        "mistakes_en": "Missing the 7-working-day window to add papers: the file is"
        " rejected.\nForgetting the child's residence registration within 60 days: a"
        " fine is possible.",
        "sms_vi": "Can VNeID muc 2 cua nguoi nop. 1.VNeID: Thu tuc hanh chinh > Dang ky"
        " khai sinh, thuong tru, BHYT 2.Dien to khai 3.Dinh kem giay chung sinh 4.Kiem"
        " tra, nop. Mien phi, 3 ngay",
        "sms_en": "Needs your own level-2 VNeID. 1.VNeID: Thu tuc hanh chinh > birth,"
        " residence, insurance 2.Fill in the form 3.Attach the birth certificate"
        " 4.Check, submit. Free, 3 days",
    },
    {
        "slug": "dang-ky-tam-tru",
        "keyword": "tamtru",
        "aliases": "cutru khaibaotamtru",
        "category": "dossier",
        "voice_rank": None,
        "home_visit": True,
        "title_vi": "Đăng ký tạm trú trên VNeID",
        "title_en": "Register temporary residence in VNeID",
        "audience_vi": "Người ở từ 30 ngày trở lên tại nơi khác xã thường trú.",
        "audience_en": "Anyone living 30 days or more outside the commune of their"
        " permanent residence.",
        "steps": _steps(
            (
                "VNeID: Thủ tục hành chính → Đăng ký tạm trú, nhập passcode.",
                "VNeID: Thủ tục hành chính → Đăng ký tạm trú, enter your passcode.",
            ),
            (
                "Bấm “Tạo yêu cầu mới”, chọn “Bản thân” hoặc “Khai hộ”.",
                "Tap “Tạo yêu cầu mới”, choose “Bản thân” (yourself) or “Khai hộ”.",
            ),
            (
                "Chọn “Lập hộ mới” hoặc “Đăng ký vào hộ đã có”, nhập địa chỉ, chủ hộ,"
                " quan hệ với chủ hộ.",
                "Choose a new household or an existing one; enter the address, the"
                " head of household and your relationship.",
            ),
            (
                "Chủ nhà đồng ý qua VNeID (chủ nhà cần mức 2) hoặc đính kèm tờ khai"
                " CT01 có chữ ký.",
                "The owner consents in VNeID (needs level 2) or you attach a signed"
                " CT01 form.",
            ),
            (
                "Đính kèm hợp đồng thuê nhà, nộp và trả lệ phí.",
                "Attach the rental contract, submit and pay the fee.",
            ),
        ),
        "papers_vi": "Hợp đồng thuê, mượn nhà hoặc giấy tờ nhà\nTờ khai CT01 (nếu chủ"
        " nhà không đồng ý qua VNeID)",
        "papers_en": "The rental or loan contract, or ownership papers\nForm CT01 (if the"
        " owner does not consent in VNeID)",
        "fees_vi": "7.000 đồng trực tuyến; 15.000 đồng tại công an.",
        "fees_en": "7,000 VND online; 15,000 VND at the police.",
        "online_url": PORTAL,
        "office_vi": "Công an xã nơi bạn đang ở",
        "office_en": "The police of the commune where you now live",
        "office_hours_vi": HOURS_VI,
        "office_hours_en": HOURS_EN,
        "duration_vi": "3 ngày làm việc. Kết quả ở mục “Thông tin cư trú” trên VNeID.",
        "duration_en": "3 working days. The result shows under “Thông tin cư trú” in"
        " VNeID.",
        "mistakes_vi": "Không đăng ký: từ 15/12/2025 có thể bị phạt 500.000–1.000.000"
        " đồng.\nNhầm “thông báo lưu trú” (ở ngắn ngày) với đăng ký tạm trú.",
        "mistakes_en": "Not registering: from 15/12/2025 a fine of 500,000–1,000,000"
        " VND.\nConfusing a short-stay notice with temporary residence registration.",
        "sms_vi": "1.VNeID: Thu tuc hanh chinh > Dang ky tam tru 2.Tao yeu cau moi, chon"
        " Ban than 3.Nhap dia chi, chu ho 4.Chu nha xac nhan qua VNeID hoac mau CT01"
        " 5.Dinh kem hop dong, nop 7.000d",
        "sms_en": "1.VNeID: Thu tuc hanh chinh > Dang ky tam tru 2.New request,"
        " yourself 3.Address, head of household 4.Owner consents in VNeID or form CT01"
        " 5.Attach contract, pay 7,000 VND",
    },
    {
        "slug": "tro-cap-huu-tri-xa-hoi",
        "keyword": "trocap",
        "aliases": "nguoicaotuoi trocapxahoi huutri luonghuu",
        "category": "dossier",
        "voice_rank": 7,
        "home_visit": True,
        "title_vi": "Xin trợ cấp hưu trí xã hội cho người cao tuổi",
        "title_en": "Apply for the social pension for older people",
        "audience_vi": "Người từ 75 tuổi không có lương hưu (hoặc dưới 500.000"
        " đồng/tháng); người 70–74 tuổi thuộc hộ nghèo, cận nghèo.",
        "audience_en": "People aged 75+ with no pension (or under 500,000 VND a month);"
        " people aged 70–74 in poor or near-poor households.",
        "steps": _steps(
            (
                "Điền Tờ khai Mẫu số 01 (Nghị định 176/2025).",
                "Fill in Form No. 01 (Decree 176/2025).",
            ),
            (
                "Nộp cho Chủ tịch UBND xã: trực tiếp, qua bưu điện hoặc trực tuyến.",
                "Submit it to the commune chairman: in person, by post or online.",
            ),
            (
                "Xã tra cơ sở dữ liệu dân cư và quyết định trong 10 ngày làm việc.",
                "The commune checks the population database and decides within 10"
                " working days.",
            ),
            (
                "Chọn cách nhận tiền: tài khoản ngân hàng, ví điện tử hoặc tiền mặt;"
                " người đi lại khó có thể được đưa tận nhà.",
                "Choose how to be paid: bank account, e-wallet or cash; people who"
                " cannot travel may be paid at home.",
            ),
        ),
        "papers_vi": "Tờ khai Mẫu số 01\nThẻ căn cước",
        "papers_en": "Form No. 01\nYour ID card",
        "fees_vi": "Không mất phí. Mức trợ cấp 500.000 đồng/tháng, kèm thẻ BHYT do nhà"
        " nước đóng.",
        "fees_en": "Free. The pension is 500,000 VND a month, with state-paid health"
        " insurance.",
        "online_url": PORTAL,
        "office_vi": OFFICE_VI,
        "office_en": OFFICE_EN,
        "office_hours_vi": HOURS_VI,
        "office_hours_en": HOURS_EN,
        "duration_vi": "10 ngày làm việc. Tiền tính từ tháng có quyết định.",
        "duration_en": "10 working days. Payment counts from the month of the decision.",
        "mistakes_vi": "Không nộp tờ khai: không ai tự chi trả.\nChuyển xã khác phải nộp"
        " lại Mẫu 01 ở xã mới.\n70–74 tuổi chỉ được nếu có tên trong danh sách hộ"
        " nghèo, cận nghèo.",
        "mistakes_en": "Not filing Form 01: nothing is paid without it.\nMoving commune:"
        " file Form 01 again there.\nAged 70–74 qualifies only on the poor or near-poor"
        " list.",
        "sms_vi": "Tu 75 tuoi khong luong huu: 500.000d/thang. 1.Dien To khai Mau 01"
        " 2.Nop cho UBND xa (truc tiep, buu dien, truc tuyen) 3.Xa tra loi trong 10"
        " ngay 4.Chon nhan qua ngan hang hoac tien mat",
        "sms_en": "Age 75+ with no pension: 500,000 VND/month. 1.Fill in Form 01"
        " 2.Submit to the commune (in person, post, online) 3.Answer within 10 days"
        " 4.Choose bank or cash",
    },
    {
        "slug": "cap-lai-the-can-cuoc",
        "keyword": "cancuoc",
        "aliases": "cccd mathe capdoi caplai thecancuoc",
        "category": "vneid",
        "voice_rank": 8,
        "home_visit": True,
        "title_vi": "Cấp lại thẻ căn cước bị mất, hỏng",
        "title_en": "Re-issue a lost or damaged chip ID card",
        "audience_vi": "Người mất hoặc làm hỏng thẻ căn cước gắn chip.",
        "audience_en": "People who lost or damaged their chip ID card.",
        "steps": _steps(
            (
                "Thẻ căn cước (mẫu mới) còn hạn: làm trực tuyến trên VNeID: Thủ tục"
                " hành chính → Cấp lại thẻ căn cước → Tạo mới yêu cầu.",
                "A valid new-style card: do it online in VNeID: Thủ tục hành chính →"
                " Cấp lại thẻ căn cước → Tạo mới yêu cầu.",
            ),
            (
                "Đánh dấu “Tôi xin cam đoan…”, chọn nơi nhận thẻ, trả lệ phí.",
                "Tick “Tôi xin cam đoan…”, choose where to receive the card, pay.",
            ),
            (
                "Thẻ CCCD cũ: đặt lịch trên VNeID rồi đến công an được chỉ định.",
                "An old CCCD card: book a slot in VNeID, then go to the police point"
                " it names.",
            ),
            (
                "Theo dõi kết quả trên VNeID; thẻ gửi qua bưu điện nếu bạn chọn.",
                "Follow the result in VNeID; the card comes by post if you chose it.",
            ),
        ),
        "papers_vi": "Số định danh cá nhân\nTài khoản VNeID mức 2",
        "papers_en": "Your personal ID number\nA level-2 VNeID account",
        "fees_vi": "Cấp lại 70.000 đồng. Miễn phí cho người từ 60 tuổi, trẻ em, người"
        " khuyết tật, hộ nghèo, đồng bào dân tộc ở xã đặc biệt khó khăn.",
        "fees_en": "70,000 VND. Free for people 60+, children, people with"
        " disabilities, poor households, ethnic minorities in very disadvantaged"
        " communes.",
        "online_url": PORTAL,
        "office_vi": "Công an xã được chỉ định hoặc phòng căn cước công an tỉnh",
        "office_en": "A designated commune police point or the provincial ID office",
        "office_hours_vi": HOURS_VI,
        "office_hours_en": HOURS_EN,
        "duration_vi": "Tối đa 7 ngày làm việc.",
        "duration_en": "Up to 7 working days.",
        "mistakes_vi": "Thẻ CCCD cũ không cấp lại trực tuyến được.\nĐổi thẻ vì sáp nhập"
        " xã là không bắt buộc; nếu đổi, chọn đúng lý do để được miễn phí.",
        "mistakes_en": "An old CCCD card cannot be re-issued online.\nChanging a card"
        " because communes merged is optional; if you do, pick that reason to pay"
        " nothing.",
        "sms_vi": "The can cuoc con han: 1.VNeID: Thu tuc hanh chinh > Cap lai the can"
        " cuoc > Tao moi yeu cau 2.Tick cam doan, chon noi nhan, tra 70.000d (tu 60"
        " tuoi mien phi). The CCCD cu: dat lich, den cong an",
        "sms_en": "Valid new-style card: 1.VNeID: Thu tuc hanh chinh > Cap lai the can"
        " cuoc > new request 2.Tick the pledge, choose delivery, pay 70,000 VND (free"
        " 60+). Old CCCD: book, go to police",
    },
    {
        "slug": "gia-han-bhyt-ho-gia-dinh",
        "keyword": "bhyt",
        "aliases": "baohiem baohiemyte giahanbhyt",
        "category": "epayment",
        "voice_rank": None,
        "home_visit": True,
        "title_vi": "Gia hạn thẻ BHYT hộ gia đình trực tuyến",
        "title_en": "Renew household health insurance online",
        "audience_vi": "Hộ gia đình tự đóng bảo hiểm y tế (mã thẻ bắt đầu bằng GD).",
        "audience_en": "Households paying their own health insurance (card code"
        " starting with GD).",
        "steps": _steps(
            (
                "Đăng nhập dichvucong.gov.vn bằng VNeID.",
                "Log in to dichvucong.gov.vn with VNeID.",
            ),
            (
                "Chọn “Thanh toán trực tuyến” → “Thanh toán BHXH, BHYT” → “Gia hạn"
                " thẻ BHYT theo hộ gia đình”.",
                "Choose “Thanh toán trực tuyến” → “Thanh toán BHXH, BHYT” → “Gia hạn"
                " thẻ BHYT theo hộ gia đình”.",
            ),
            (
                "Nhập mã thẻ (bắt đầu bằng GD) và số tháng muốn đóng.",
                "Enter the card code (starts with GD) and the number of months.",
            ),
            (
                "Chọn ngân hàng của chính bạn để không mất phí, rồi thanh toán.",
                "Choose your own bank to avoid fees, then pay.",
            ),
        ),
        "papers_vi": "Mã thẻ BHYT\nTài khoản VNeID và tài khoản ngân hàng",
        "papers_en": "The health insurance card code\nVNeID and a bank account",
        "fees_vi": "Người thứ nhất 105.300 đồng/tháng; từ người thứ hai được giảm dần.",
        "fees_en": "105,300 VND a month for the first person; less for each next one.",
        "online_url": PORTAL,
        "office_vi": "Đại lý thu BHYT ở xã hoặc bưu điện",
        "office_en": "The commune's health-insurance agent or the post office",
        "office_hours_vi": HOURS_VI,
        "office_hours_en": HOURS_EN,
        "duration_vi": "Khoảng 10 phút.",
        "duration_en": "About 10 minutes.",
        "mistakes_vi": "Muốn được giảm theo hộ, mọi người phải cùng đăng ký cư trú một"
        " nơi.\nNgười hưởng trợ cấp hưu trí xã hội đã được nhà nước đóng BHYT.",
        "mistakes_en": "The family discount needs everyone registered at the same"
        " residence.\nSocial-pension recipients already get state-paid insurance.",
        "sms_vi": "1.Dang nhap dichvucong.gov.vn bang VNeID 2.Thanh toan truc tuyen >"
        " Thanh toan BHXH, BHYT > Gia han the BHYT theo ho gia dinh 3.Nhap ma the GD va"
        " so thang 4.Chon ngan hang cua minh, thanh toan",
        "sms_en": "1.Log in to dichvucong.gov.vn with VNeID 2.Thanh toan truc tuyen >"
        " BHXH, BHYT > household renewal 3.Enter the GD card code and months 4.Pick"
        " your own bank, pay",
    },
]
