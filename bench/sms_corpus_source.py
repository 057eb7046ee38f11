"""Writes tests/fixtures/sms_corpus.tsv: resident texts as people really type them.

    .venv/bin/python bench/sms_corpus_source.py

The committed TSV is the source of truth; this script is how its first version was
made (hand-written sentences, each dressed a few ways: with or without diacritics,
teen-code, a typo, a village named in the ways people name it, a grandchild writing for
a grandparent). Every sentence is one *group*: its variants share the group id, so the
held-out split in bench/understanding.py never sees a sibling of a training text.

Columns: text, category, village (registry name or empty), flags (comma-separated),
command (empty for a request, else the command kind), group.
"""

from __future__ import annotations

import csv
import random
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "sms_corpus.tsv"
SEED = 20251206

# ---------------------------------------------------------------------------------
# Sentences per category: (text, flags). Written as people write: some with diacritics,
# some without; the dresser below varies them further.
VNEID = [
    ("Cần giúp kích hoạt VNeID mức 2", ""),
    ("toi muon kich hoat tai khoan dinh danh dien tu muc 2", ""),
    ("chau oi ba ko vao duoc vneid, no bao sai mat khau", "elderly"),
    ("Làm sao để cài app VNeID trên điện thoại mới", ""),
    ("vneid cua toi bi khoa roi, nhap sai mat khau 5 lan", ""),
    ("quen mat khau vneid, lay lai kieu gi", ""),
    ("Em đổi số điện thoại rồi, giờ VNeID không nhận mã kích hoạt", ""),
    ("dinh danh muc 2 da len cong an xa chup anh roi ma chua thay kich hoat", ""),
    ("app vn eid bao loi khong quet duoc khuon mat", ""),
    ("Cho hỏi tích hợp giấy phép lái xe vào VNeID làm sao", ""),
    ("tich hop the bhyt vao vneid dc ko a", ""),
    ("ong toi 80 tuoi muon co dinh danh dien tu de nhan luong huu", "elderly"),
    ("Mẹ em không biết dùng VNeID, nhờ tổ đến nhà cài giúp", "home_visit"),
    ("dang nhap vnid cu bao phien lam viec het han", ""),
    ("Tài khoản định danh của tôi chỉ mới mức 1, muốn lên mức 2", ""),
    ("vneid ko hien thi thong tin cu tru", ""),
    ("thay dien thoai moi thi vneid phai dang nhap lai sao", ""),
    ("xin huong dan doi mat khau ung dung vneid", ""),
    ("Bà nội em 75 tuổi cần kích hoạt tài khoản định danh", "elderly"),
    ("vneid bat nhap passcode 6 so ma em quen", ""),
    ("app dinh danh bao thiet bi khong hop le", ""),
    ("mk vneid sai hoai, dt cua toi la may android cu", ""),
    ("Tôi chưa có tài khoản VNeID, đăng ký thế nào ạ", ""),
    ("xin cai giup ung dung VNEID cho ca nha 4 nguoi", ""),
    ("VNeID hỏi câu hỏi bảo mật mà tôi không nhớ", ""),
    ("thong bao loi vneid: so dien thoai da duoc dang ky cho tai khoan khac", ""),
    ("vneid cap nhat phien ban moi roi khong mo duoc", ""),
    ("Con muốn dùng VNeID để khai báo lưu trú cho khách", ""),
    ("khuon mat ko khop tren vneid, chup hoai ko qua", ""),
    ("dinh danh dien tu cua ong noi chua duoc duyet", "elderly"),
    ("ko nhan duoc otp kich hoat vneid", ""),
    ("Vneid muc 2 thi dung de lam gi, co can ko", ""),
    ("toi bi mu mot mat, nho nguoi toi nha kich hoat vneid", "disability,home_visit"),
    ("chị em mới sinh em bé, tài khoản VNeID của chị bị khóa", ""),
    ("lam sao xem the can cuoc dien tu tren vneid", ""),
    ("vneid hien ma qr ca nhan o dau vay", ""),
    ("app VNeID đòi cập nhật NFC mà máy em không có", ""),
    (
        "co ai huong dan kich hoat dinh danh cho nguoi dan toc khong biet chu",
        "ethnic_minority",
    ),
    ("sau khi sap nhap xa vneid van ghi dia chi cu", ""),
    ("toi muon khoa tai khoan vneid vi mat dien thoai", ""),
]

PORTAL = [
    ("Tôi không vào được Cổng dịch vụ công", ""),
    ("khong dang nhap duoc dvc", ""),
    ("dang ky tai khoan dich vu cong quoc gia nhu the nao", ""),
    ("Cổng dịch vụ công báo sai tên đăng nhập", ""),
    ("quen mat khau cong dvcqg", ""),
    ("dang nhap dichvucong.gov.vn bang vneid bi loi", ""),
    ("trang dich vu cong cu quay hoai ko vao dc", ""),
    ("Cho hỏi trên cổng dịch vụ công tra cứu hồ sơ ở mục nào", ""),
    ("tai khoan cong dich vu cong cua toi bi khoa", ""),
    ("lam sao doi so dien thoai tren tai khoan dich vu cong", ""),
    ("cổng dvc tỉnh và cổng quốc gia khác nhau sao", ""),
    ("muon tao tai khoan dvc cho me gia", "elderly"),
    ("web dich vu cong bat xac thuc otp ma ko thay tin nhan", ""),
    ("Cổng dịch vụ công không hiện hồ sơ tôi đã nộp tuần trước", ""),
    ("dang nhap cong dich vu cong tren dien thoai bi trang man hinh", ""),
    ("tk dvc bao chua lien ket vneid", ""),
    ("Tôi muốn đổi email nhận thông báo trên cổng dịch vụ công", ""),
    ("vao trang dvc bao loi chung chi bao mat", ""),
    ("mat khau cong dich vu cong phai co ky tu dac biet la sao", ""),
    ("cong dv quoc gia bao tai khoan khong ton tai", ""),
    ("Em không biết đăng xuất tài khoản dịch vụ công trên máy tính chung", ""),
    ("tai khoan cong dich vu cong ghi sai ngay sinh", ""),
    ("cho hoi dang nhap dich vu cong bang tai khoan ngan hang dc ko", ""),
    ("dvcqg bat cap nhat thong tin ca nhan moi vao dc", ""),
    ("tài khoản cổng dịch vụ công của doanh nghiệp hộ gia đình đăng ký sao", ""),
    ("cong dich vu cong ko load duoc tren zalo", ""),
    ("Ba tôi 82 tuổi muốn có tài khoản dịch vụ công để xem hồ sơ", "elderly"),
    ("tim ko thay nut dang ky tren cong dich vu cong", ""),
    ("lien ket tai khoan dvc voi vneid o dau", ""),
    ("web dichvucong bao phien dang nhap het han lien tuc", ""),
    ("dich vu cong tinh lam dong dang nhap o dau", ""),
    ("toi muon huong dan su dung cong dich vu cong cho hoi nguoi cao tuoi", "elderly"),
]

DOSSIER = [
    ("Giup toi lam ho so dang ky ket hon", ""),
    ("toi muon nop ho so khai sinh cho chau", ""),
    ("làm giấy khai sinh online cho con mới sinh", ""),
    ("dang ky tam tru cho cong nhan thue tro", ""),
    ("Cần làm lại căn cước vì bị mất", ""),
    ("cccd het han roi, doi the can cuoc moi o dau", ""),
    ("chuyen the cccd gan chip sang the can cuoc moi can giay to gi", ""),
    ("xin giay xac nhan tinh trang hon nhan", ""),
    ("khai tu cho ong nha toi moi mat tuan truoc", "elderly"),
    ("làm thủ tục nhận trợ cấp mai táng cho bố", ""),
    ("nop ho so xin tro cap nguoi cao tuoi tren 80", "elderly"),
    ("Mẹ em 81 tuổi chưa được nhận trợ cấp xã hội, làm hồ sơ sao", "elderly"),
    ("hồ sơ sổ đỏ nộp rồi mà chưa thấy hẹn trả", ""),
    ("cap doi so do bi rach", ""),
    ("xin trich luc khai sinh ban sao", ""),
    ("dang ky thuong tru cho vo moi cuoi ve", ""),
    ("Làm giấy chứng nhận hộ nghèo nộp ở đâu", ""),
    ("ho so xin ho tro nha o cho nguoi khuyet tat", "disability"),
    ("xin cap giay xac nhan khuyet tat cho con", "disability"),
    ("thu tuc tach thua dat lam online dc ko", ""),
    ("dang ky khai sinh cho chau noi, bo me no di lam xa", ""),
    ("muon chung thuc ban sao giay to online", ""),
    ("Hồ sơ chuyển hộ khẩu bị trả về, báo thiếu giấy tờ", ""),
    ("ho so cap the bhyt cho tre duoi 6 tuoi", ""),
    ("nop ho so xin giay phep xay nha", ""),
    ("dang ky ket hon voi nguoi o tinh khac can nhung gi", ""),
    ("Tôi muốn làm lý lịch tư pháp để đi xuất khẩu lao động", ""),
    ("lam phieu ly lich tu phap so 1 online", ""),
    ("xin xac nhan cu tru de con nhap hoc", ""),
    ("ho so huong luong huu bi tre", "elderly"),
    ("dang ky bien dong dat dai sau khi mua dat", ""),
    ("ho so cua toi bao can bo sung, bo sung the nao", ""),
    ("cải chính tên trong giấy khai sinh bị sai dấu", ""),
    ("xin giay chung nhan quyen su dung dat lan dau", ""),
    ("đăng ký lại khai sinh cho ông vì giấy cũ bị mất", "elderly"),
    ("lam the can cuoc cho con 14 tuoi", ""),
    ("Con tôi đi học xa, làm tạm vắng thế nào", ""),
    ("xin tro cap cho nguoi khuyet tat nang o nha", "disability"),
    ("thu tuc nhan con nuoi lam o dau", ""),
    ("nop ho so dang ky ho kinh doanh ban tap hoa", ""),
    ("ho so cap lai giay chung nhan ket hon bi mat", ""),
    ("muốn đăng ký khai tử cho người nhà, nhà ở xa xã", ""),
    ("toi can lam giay uy quyen cho con trai ban dat", ""),
    (
        "đổi CCCD sang thẻ căn cước cho người già liệt giường",
        "elderly,disability,home_visit",
    ),
    ("xac nhan don xin viec can dong dau xa", ""),
    ("ho so xin tro cap tre mo coi", ""),
    ("thủ tục cấp giấy phép lái xe máy hạng A1 nộp online", ""),
    ("can lam giay chung tu thua ke dat cua cha me", ""),
]

EPAYMENT = [
    ("chỉ cách chuyển tiền bằng ví điện tử", ""),
    ("thanh toan tien dien the nao", ""),
    ("huong dan dong tien nuoc bang momo", ""),
    ("Cài ZaloPay để đóng học phí cho cháu", ""),
    ("nop thue dat qua cong dich vu cong khong duoc", ""),
    ("dong hoc phi cho con qua dich vu cong bao loi thanh toan", ""),
    ("nop le phi ho so online bang the atm sao", ""),
    ("muon mo tai khoan ngan hang tren dien thoai", ""),
    ("app ngan hang agribank bat xac thuc sinh trac hoc", ""),
    ("quet ma QR thanh toan o cho ma bao loi", ""),
    ("chuyen khoan nham so tai khoan, lay lai dc ko", ""),
    ("Làm sao đóng bảo hiểm y tế hộ gia đình trên VssID", ""),
    ("dong bhyt ho gia dinh qua app viettel money", ""),
    ("xac thuc khuon mat tren app ngan hang theo quy dinh moi", ""),
    ("the atm bi nuot o cay, lam sao", ""),
    ("cai app vietcombank cho ba noi de nhan luong huu", "elderly"),
    ("Tôi muốn nhận trợ cấp qua tài khoản ngân hàng thay vì tiền mặt", ""),
    ("lien ket vi momo voi tai khoan ngan hang", ""),
    ("nap tien dien thoai bang app ngan hang", ""),
    ("tra tien cuoc internet vnpt online the nao", ""),
    ("dong phi bao hiem xe may qua app", ""),
    ("Nộp phạt vi phạm giao thông trên mạng được không", ""),
    ("chuyen tien cho con di hoc o sai gon bang dt", ""),
    ("quen ma pin app ngan hang, bi khoa", ""),
    ("app bidv bao tai khoan tam khoa do sai mat khau", ""),
    ("mo tai khoan ngan hang cho nguoi khong biet chu", ""),
    ("thanh toan hoa don dien thang nay bi tru tien 2 lan", ""),
    ("Làm sao để đặt hạn mức chuyển tiền thấp cho an toàn", ""),
    ("Cháu hướng dẫn bà trả tiền điện bằng mã QR với", "elderly"),
    ("dong tien rac hang thang bang chuyen khoan dc ko", ""),
    ("nap tien vao vi viettel money o cua hang nao", ""),
    ("mua hang online thanh toan khi nhan hang hay chuyen khoan truoc", ""),
    ("thanh toan vien phi bang the bhyt va chuyen khoan", ""),
    ("nop thue thu nhap ca nhan tren app etax mobile", ""),
    ("đóng học phí trường mầm non qua cổng dịch vụ công", ""),
    ("in sao ke tai khoan ngan hang tren dien thoai", ""),
    ("app momo bat xac minh danh tinh chup cccd", ""),
    ("ban hang ca phe muon co ma qr nhan tien", ""),
    ("xem lich su chuyen tien tren app ngan hang o dau", ""),
    ("nhận lương hưu qua thẻ ATM cho người già yếu", "elderly"),
]

# Scams in victims' words, by pattern (the pattern name goes in the group id).
SCAM = {
    "relative_hospital": [
        (
            "co nguoi goi noi con toi bi tai nan dang cap cuu, bat chuyen 50 trieu mo",
            "",
        ),
        ("Giúp em với, bị lừa mất tiền, có người báo cháu nội nhập viện", ""),
        (
            "nguoi la goi bao thang con di hoc bi dap xe phai mo gap, toi chuyen 20tr roi",
            "",
        ),
        ("bac si goi bao chau ngoai nam vien can dong vien phi ngay, so la", ""),
        (
            "ong toi nhan cuoc goi con bi tai nan giao thong, ho doi chuyen tien gap",
            "elderly",
        ),
        ("ai do goi giong giong tieng con trai em, noi dang o benh vien can tien", ""),
        ("thay giao goi bao con bi ngat o truong dua di benh vien, bat ck tien", ""),
        ("Có số lạ gọi bảo chồng tôi bị nạn ở công trường, cần 30 triệu mổ ngay", ""),
        (
            "me em 70 tuoi bi goi dien noi chau bi cap cuu, me chuyen het tien tiet kiem",
            "elderly",
        ),
        (
            "video call thay mat con gai khoc xin tien vien phi ma goi lai con noi ko phai",
            "",
        ),
        ("nghe cuoc goi cap cuu cho chau, lo chuyen khoan 15 trieu cho so tk la", ""),
        (
            "dien thoai bao em trai bi tai nan o binh duong, nguoi ta doi gui tien truoc",
            "",
        ),
    ],
    "electricity": [
        ("dien luc goi bao no tien dien se cat dien trong 2 tieng", ""),
        (
            "Nhân viên điện lực gọi nói nhà tôi nợ tiền điện, bắt cài app để thanh toán",
            "",
        ),
        ("nguoi xung evn doi cat dien neu ko quet ma ngay", ""),
        ("co tin nhan bao cat dien toi nay, gui link de dong tien", ""),
        (
            "goi dien bao nha toi xai dien qua muc phai dong phat, cai ung dung evn gia",
            "",
        ),
        ("tong dai dien luc goi noi cap nhat thong tin khach hang, doi ma otp", ""),
        ("Có người bảo hóa đơn tiền điện bị sai, cần hoàn tiền qua link", ""),
        ("nguoi ta doa cat dien nha minh, ba em so qua chuyen tien roi", "elderly"),
        ("zalo dien luc la gui file apk bao cai de dong tien dien", ""),
        ("cuoc goi bao dong ho dien nha bi loi, phai dong tien kiem dinh gap", ""),
        ("ho noi tien dien chua thanh toan 3 thang, yeu cau bam giu ma qr", ""),
    ],
    "market_qr": [
        ("o cho co nguoi la nho quet ma qr giup roi tai khoan bi tru tien", ""),
        ("Ra chợ có người đưa mã QR nhờ tôi quét hộ để nhận quà, giờ mất tiền", ""),
        ("nguoi ban hang dan ma qr de len ma qr cua quan, chuyen tien bi mat", ""),
        ("co chu kia o cho dua to giay qr bao quet de trung thuong", ""),
        ("quet ma qr dan o cot dien xong dien thoai bi chiem quyen", ""),
        (
            "Ông lạ ở phiên chợ nhờ quét QR giúp chuyển tiền, sau đó app ngân hàng bị đăng nhập lạ",
            "",
        ),
        ("mua rau o cho, quet qr ma tien chuyen sang tai khoan ten nguoi khac", ""),
        ("co dua nho ba quet ma nhan qua tang, giu ma hoai", "elderly"),
        ("ma qr tren to roi phat o cong cho bao nhan tro cap", ""),
        (
            "quet qr thanh toan gui xe ma bi dan thanh trang web la doi dang nhap ngan hang",
            "",
        ),
    ],
    "court_summons": [
        ("nhan tin nhan giay trieu tap cua toa an, bao toi co vu kien", ""),
        (
            "Có người gọi xưng tòa án nói tôi bị kiện nợ, đòi chuyển tiền để hủy lệnh",
            "",
        ),
        ("toa an goi bao ra hau toa vi no the tin dung, toi chua tung mo the", ""),
        (
            "nhan duoc giay trieu tap qua zalo co dau do, doi nop tien tam ung an phi",
            "",
        ),
        ("vien kiem sat goi noi toi lien quan rua tien, phai hop tac dieu tra", ""),
        (
            "nguoi ta gui link xem quyet dinh khoi to, bam vao bat dang nhap ngan hang",
            "",
        ),
        (
            "ong toi nhan cuoc goi toa an doi bat giam neu khong chuyen tien bao lanh",
            "elderly",
        ),
        ("tin nhan bao vi pham phat nguoi, lenh cuong che, vao link nop phat", ""),
        ("giay moi len toa lam viec gui qua messenger, so dien thoai ho la", ""),
        ("cuoc goi tu dong noi toa an nhan dan goi toi, bam phim 9 de gap can bo", ""),
    ],
    "fake_police": [
        ("Có người gọi xưng công an bảo đọc mã OTP", ""),
        ("cong an goi bao toi chuyen tien", ""),
        (
            "ca goi noi so dien thoai cua toi dinh toi buon ma tuy, bat phong toa tai khoan",
            "",
        ),
        (
            "nguoi gia danh cong an phuong goi doi dieu tra, yeu cau chuyen tien vao tk an toan",
            "",
        ),
        (
            "nguoi xung la cong an xa doc dung ten tuoi, dia chi nha toi roi bat ket ban zalo",
            "",
        ),
        ("cong an goi video mac sac phuc, bat toi khong duoc ke cho ai", ""),
        ("Ông xưng thượng úy công an tỉnh bảo tôi đứng tên công ty lừa đảo", ""),
        ("canh sat giao thong goi bao xe toi vi pham, chuyen khoan nop phat ngay", ""),
        (
            "ho goi noi toi co liên quan vu an, phai chuyen tien de xac minh nguon goc",
            "",
        ),
        ("ba em bi nguoi xung ca goi, doa bat giam, ba dang run", "elderly"),
        ("so dien thoai tu xung cong an huyen goi ma huyen da bi bo roi", ""),
        ("cong an goi bao cap nhat du lieu dan cu, doc ma xac thuc cho ho", ""),
    ],
    "bank_otp": [
        ("nhan vien ngan hang goi noi tai khoan bi khoa, doi ma otp de mo", ""),
        ("co tin nhan brandname ngan hang bao dang nhap la, bam link xac nhan", ""),
        ("Nhân viên ngân hàng gọi hỗ trợ xác thực sinh trắc học, bảo cài dùm", ""),
        (
            "nguoi ta goi xung vietcombank nang han muc the tin dung, hoi so the va otp",
            "",
        ),
        ("toi lo doc ma otp cho nguoi goi xung agribank, tk mat 40 trieu", ""),
        ("tin nhan bao the atm sap het han phai cap nhat qua link", ""),
        (
            "co nguoi bao toi trung khoan vay uu dai, doi chup mat truoc mat sau cccd",
            "",
        ),
        (
            "goi dien bao tai khoan bi ai do chuyen tien dang ngo, doc otp de huy lenh",
            "",
        ),
        ("zalo ten ngan hang gui file cai dat app xac thuc", ""),
        ("em bam link ngan hang gia, gio tai khoan bi tru sach", ""),
        ("nguoi la nho ba doc so tren tin nhan ngan hang, ba doc roi", "elderly"),
        ("app ngan hang tu dung hien chuyen tien ma toi khong lam", ""),
    ],
    "prize": [
        ("tin nhan bao toi trung thuong xe sh, phai nop phi nhan giai", ""),
        ("Có cuộc gọi báo trúng thưởng tivi, bảo chuyển tiền thuế trước", ""),
        (
            "zalo la nhan trung giai iphone 16 tri an khach hang, nop 2 trieu phi van chuyen",
            "",
        ),
        (
            "trung thuong 100 trieu tu chuong trinh truyen hinh, ho bat chuyen phi ho so",
            "",
        ),
        (
            "nhan duoc the cao trung thuong trong goi mi chinh, goi so tren the doi phi",
            "",
        ),
        ("ong toi bao trung xe may, nguoi ta den tan nha doi tien truoc", "elderly"),
        ("facebook bao toi duoc qua tang vang, nhap thong tin the ngan hang", ""),
        ("Tin nhắn tri ân khách hàng nhận quà, bấm link điền thông tin tài khoản", ""),
        ("nguoi ta goi bao so dien thoai toi quay so trung giai dac biet", ""),
        (
            "bi goi noi trung tu lanh, dong tien bao hiem giai thuong roi ko thay dau",
            "",
        ),
    ],
    "online_job": [
        (
            "Tôi làm nhiệm vụ online thả tim được tiền, giờ bị giữ 30 triệu không rút được",
            "",
        ),
        ("nhom zalo tuyen cong tac vien lam viec tai nha, nap tien lam nhiem vu", ""),
        (
            "con gai em lam viec online like video tiktok, bi bat nap them moi rut duoc",
            "",
        ),
        ("tuyen nguoi danh gia san pham shopee nhan hoa hong, nap 5 trieu roi mat", ""),
        ("viec nhe luong cao o nha, ho bao dong tien coc giu cho", ""),
        (
            "lam nhiem vu don hang tren web la, ho noi thao tac sai phai nap tien de mo",
            "",
        ),
        ("tuyen nguoi go chu tai nha tra luong cao, bat mua tai lieu truoc", ""),
        ("chau em bi du di lam campuchia luong cao, gio gia dinh mat lien lac", ""),
        (
            "Em tham gia đặt phòng khách sạn ảo nhận hoa hồng, nạp tiền rồi không rút ra",
            "",
        ),
        ("xem quang cao kiem tien, hoan tien 10% nhung gio bi khoa tk", ""),
    ],
    "loan_app": [
        ("vay tien qua app, gio bi goi khung bo ca danh ba", ""),
        ("app vay online doi phi giai ngan truoc roi chan so em", ""),
        ("Tôi vay 3 triệu trên ứng dụng mà giờ họ đòi 15 triệu, đe dọa đăng ảnh", ""),
        ("ho tro vay von khong the chap, bat chuyen phi bao hiem khoan vay", ""),
        ("bi ghep anh bia dang len facebook vi vay app, con ko co vay", ""),
        ("app vay tien noi sai so tk nen khoan vay bi dong bang, nop tien de mo", ""),
        ("nguoi ta goi lien tuc nhac no khoan vay toi chua tung vay", ""),
        ("tin nhan ngan hang cho vay lai suat 0%, cai app theo link", ""),
        ("cong ty tai chinh doi toi chuyen 10% khoan vay de chung minh thu nhap", ""),
        ("vay app online, no lay het anh va danh ba dien thoai", ""),
    ],
    "tax_refund": [
        ("tin nhan cuc thue bao hoan thue thu nhap ca nhan, bam link nhan tien", ""),
        (
            "nguoi xung can bo thue goi bao ho kinh doanh phai cap nhat, cai app thue gia",
            "",
        ),
        (
            "Có người gọi nói tôi được hoàn thuế, bảo cài ứng dụng eTax qua đường link",
            "",
        ),
        ("chi cuc thue goi bao no thue dat phai dong phat gap", ""),
        ("zalo cuc thue gui link chuyen doi hoa don dien tu, doi otp", ""),
        ("can bo thue goi huong dan quyet toan thue, bat chia se man hinh", ""),
        ("tin nhan hoan tien thue mon bai, nhap so tk ngan hang", ""),
        ("ho tu xung cuc thue noi toi khai sai, doa phat neu ko chuyen khoan", ""),
        ("goi bao phai kich hoat ma so thue ca nhan qua web la", ""),
    ],
    "parcel_cod": [
        ("shipper giao hang toi ma toi ko dat, bat tra 300 nghin", ""),
        ("Người giao hàng gọi nói có bưu kiện cần đóng phí hải quan", ""),
        ("nhan goi hang cod ben trong la cuc da, tra tien roi", ""),
        ("buu dien goi bao co buu pham chua ma tuy gui ten toi", ""),
        ("don hang bi that lac, shop goi boi thuong bat quet ma qr", ""),
        ("tin nhan vnpost bao buu kien bi giu, cap nhat dia chi qua link", ""),
        ("shipper noi nguoi nha dat hang ho, chuyen khoan truoc cho anh", ""),
        ("ba em nhan hang thu ho 500k ma ko ai dat, hop ben trong rong", "elderly"),
        ("goi tu hai quan san bay noi co qua tu nuoc ngoai, dong thue moi nhan", ""),
        ("lien he nhan hoan tien don hang shopee bi loi, ho bat dang nhap app la", ""),
    ],
    "vneid_link": [
        ("co nguoi goi bao vneid bi loi, gui link cai lai ung dung", ""),
        (
            "tin nhan bao cap nhat dinh danh muc 2 truoc 30/6 khong se bi khoa, co duong link",
            "",
        ),
        (
            "Người gọi xưng công an hướng dẫn cài VNeID qua link, giờ máy bị điều khiển",
            "",
        ),
        ("nhan duoc file apk vneid qua zalo, mo ra no xin quyen tro nang", ""),
        ("cap nhat thong tin sau sap nhap xa, ho gui link dvc gia, mat tien roi", ""),
        ("goi noi tai khoan dinh danh chua dong bo, doi nhin vao camera quay mat", ""),
        ("giao vien bao phu huynh cai vneid cho con thi, link la", ""),
        ("xung can bo xa cap nhat du lieu dat dai, doc dung so cccd cua toi", ""),
        (
            "web dich vu cong gia thu 22 nghin phi khai bao cu tru, sau do bi tru 90 trieu",
            "",
        ),
        ("Có link cài VNeID phiên bản mới gửi qua tin nhắn, ông em bấm rồi", "elderly"),
        ("tin nhan vssid bao khoa tai khoan trong 24h neu ko cap nhat", ""),
    ],
    "investment": [
        (
            "dau tu tien ao duoc nguoi quen tren mang gioi thieu, nap 200 trieu gio ko rut dc",
            "",
        ),
        (
            "Nhóm chứng khoán trên Zalo hứa lãi 30% tháng, tôi nạp tiền rồi họ biến mất",
            "",
        ),
        (
            "san giao dich vang online bao tai khoan bi dong bang, phai nop thue de rut",
            "",
        ),
        ("dau tu coin theo thay tren telegram, lo het tien", ""),
        (
            "ho moi gop von trang trai sau rieng lai cao, chuyen tien xong mat lien lac",
            "",
        ),
        ("app dau tu forex bao loi nhuan ao, doi nop phi moi rut", ""),
        ("nguoi ta ru mua co phan du an nghi duong, gio ko ai nghe may", ""),
        ("em bo tien vao tien dien tu usdt theo huong dan nguoi la", ""),
        ("hui online lai cao, chu hui om tien bo tron", ""),
    ],
    "romance": [
        ("quen ban trai tren facebook, anh ay noi gui qua tu my phai dong phi", ""),
        ("nguoi yeu qua mang bao bi ket o san bay, xin chuyen tien", ""),
        (
            "Mẹ tôi góa chồng, quen ông Tây trên mạng gửi quà phải nộp phí hải quan",
            "elderly",
        ),
        ("ban gai zalo ru dau tu cung tren san, toi nap 100 trieu", ""),
        ("quen qua app hen ho, ho noi muon ve viet nam cuoi, xin tien ve may bay", ""),
        ("chu em quen nguoi tren mang xung bac si my, gui vali tien can dong thue", ""),
        ("anh quen tren tiktok doi chuyen tien lam ho chieu", ""),
        ("nguoi yeu online doa tung anh nong neu ko chuyen tien", ""),
    ],
    "pension_bhxh": [
        ("Bảo hiểm xã hội gọi nói tăng lương hưu, bảo đóng phí trước", "elderly"),
        (
            "nguoi xung bhxh goi bao ho tro tet cho nguoi huong luong huu, bam link",
            "elderly",
        ),
        (
            "can bo bhxh goi xac minh tai khoan de tiep tuc nhan luong huu, doi otp",
            "elderly",
        ),
        ("tin nhan nhan tien tro cap that nghiep, dien so tk", ""),
        ("co video ong giam doc bhxh noi dang ky nhan tien ho tro, link la", ""),
        ("goi bao so bhxh cua toi bi trung, phai dong tien de sua", ""),
        (
            "ong toi huu tri bi goi xin so tai khoan nhan luong huu qua app moi",
            "elderly",
        ),
    ],
    "account_hijack": [
        ("zalo ban than nhan muon tien gap, goi video thi mo mo, hoa ra bi hack", ""),
        ("facebook con gai bi hack, nhan tin cho ca nha vay tien", ""),
        ("nick zalo cua toi bi chiem, no nhan muon tien ba con", ""),
        ("nguoi quen nhan tin nho chuyen tien ho, goi lai thi ho noi ko nhan", ""),
        ("bi lay mat facebook, ho doi tien chuoc tai khoan", ""),
        ("nghi bi LUA DAO", ""),
        ("hình như em bị lừa rồi, nó chiếm mất tài khoản zalo", ""),
        ("ai do dung anh cua con toi lap zalo gia de vay tien ho hang", ""),
    ],
}

OTHER = [
    ("xin chào", ""),
    ("alo alo ???", ""),
    ("cho hoi uy ban xa lam viec may gio", ""),
    ("Tôi muốn học cách gọi video Zalo cho con ở xa", ""),
    ("dien thoai cua toi bi day bo nho, xoa anh sao", ""),
    ("chi cach tang co chu dien thoai to len de doc", "elderly"),
    ("khong biet ket noi wifi nha moi lap", ""),
    ("tui muon hoi lich tap huan chuyen doi so cua thon", ""),
    ("Ông bà tôi muốn xem thời sự trên youtube mà không biết", "elderly"),
    ("may in cua hoi truong thon bi hong", ""),
    ("cai zalo cho dien thoai moi mua", ""),
    ("co ai chi em cach chup man hinh dien thoai", ""),
    ("xin so dien thoai can bo dia chinh xa", ""),
    ("bao gio co doan den tiem chung cho tre", ""),
    ("đường vào thôn bị sạt lở, báo ai", ""),
    ("muon dang ky lop hoc may tinh cho nguoi lon", ""),
    ("Làm sao gửi ảnh qua Zalo cho cô giáo", ""),
    ("mat dien ca xom tu sang toi gio", ""),
    ("dien thoai bi mat song, goi ko duoc", ""),
    ("xin hỏi tổ hỗ trợ có làm chủ nhật không", ""),
    ("cam on to da giup hom qua", ""),
    ("tôi không có điện thoại thông minh, muốn hỏi việc", "no_smartphone"),
    ("cho hoi ve viec sua duong lien thon", ""),
    ("toi muon lam tinh nguyen vien cua to ho tro", ""),
    ("con toi bi bat nat o truong, bao ai", ""),
    ("loa phat thanh thon khong nghe duoc", ""),
    ("xin lich hop dan thon thang nay", ""),
    ("dat cua toi bi hang xom lan ranh, nho hoa giai", ""),
    ("khoa hoc su dung smartphone cho nguoi cao tuoi co khong", "elderly"),
    ("ok", ""),
    ("?", ""),
    ("cho em hoi cai nay", ""),
    ("nha toi nuoi heo bi benh, bao thu y o dau", ""),
    ("máy cục gạch của tôi không nhắn được tin có dấu", "no_smartphone"),
    ("nho to den nha day ong ba dung dien thoai", "elderly,home_visit"),
    ("doi bo di lam ve roi nhan lai sau", ""),
    ("xin thong tin chuong trinh tiem vacxin cum cho nguoi gia", "elderly"),
    ("toi da nhan duoc tin nhan cua to, cam on", ""),
    ("luoi dien nha hang xom bi chap, so chay", ""),
    ("hom nay co hop chi bo khong", ""),
]


# ---------------------------------------------------------------------------------
# Villages as people write them. Registry name → ways of writing it.
def thon_forms(n: int) -> list[str]:
    words = {
        1: "một", 2: "hai", 3: "ba", 4: "bốn", 5: "năm", 6: "sáu", 7: "bảy",
        8: "tám", 9: "chín", 10: "mười", 11: "mười một", 12: "mười hai",
        13: "mười ba", 14: "mười bốn", 15: "mười lăm",
    }  # fmt: skip
    old = "Đức An" if n <= 5 else "Nam Bình" if n <= 10 else "Thuận Hà"
    return [
        f"thôn {n}",
        f"thon {n}",
        f"th{n}",
        f"th {n}",
        f"Th.{n}",
        f"t{n}",
        f"T.{n}",
        f"thon{n}",
        f"THON {n}",
        f"thôn {words[n]}",
        f"thon so {n}",
        f"thôn {n} {old}",
        f"tổ {n}",
        f"xom {n}",
    ]


NAMED_VILLAGES = {
    "Thôn Nam Tiến": ["thôn Nam Tiến", "thon nam tien", "Nam Tien", "th Nam Tien"],
    "Bon Bu Bir": [
        "bon Bu Bir",
        "bon BBir",
        "buôn Bu Bir",
        "bon bubir",
        "bu bir",
        "Bon Bu Bia",
        "BON BU BIR",
    ],
    "Bon Đắk N'Drung": [
        "bon Đắk N'Drung",
        "bon dak ndrung",
        "Dak N Drung",
        "đăk n'drung",
        "bon dac ndrung",
        "buon dak n'drung",
    ],
    "Bon Ja Răh": ["bon Ja Răh", "bon ja rah", "jarah", "buôn Ja Rah", "Ja Rah"],
    "Bon Bu Đách": ["bon Bu Đách", "bon bu dach", "bu dach", "buon Bu Dach"],
    "Buôn Ol": ["buôn Ol", "buon ol", "bon Ol", "BUON OL"],
    "Bon Bu Rwăh": ["bon Bu Rwăh", "bon bu rwah", "bu roăh", "bon Bu Roah"],
    "Bon N'Jang Bơ": ["bon N'Jang Bơ", "bon njang bo", "N Jang Bo", "bon n'jang bo"],
}
# Landmarks the demo commune records per village (teams/demo.py): as people say them.
LANDMARKS = {
    "Thôn 1": ["gần trường tiểu học Đức An", "gan truong tieu hoc duc an"],
    "Thôn 2": ["cạnh chợ Đức An", "sau cho duc an"],
    "Thôn 7": ["gần nhà thờ Nam Bình", "doi dien nha tho nam binh"],
    "Thôn 9": ["gần chùa Phước Hải", "sau chua phuoc hai"],
    "Thôn 12": ["gần trường THCS Thuận Hà", "gan truong cap 2 thuan ha"],
    "Bon Bu Bir": ["gan nha van hoa bon Bu Bir"],
}

VILLAGE_FRAMES = [
    "{t}, o {v}",
    "{t}. Nha o {v}",
    "{t} - {v}",
    "{t}. em o {v} a",
    "{t}, toi ở {v}",
    "O {v}: {t}",
    "{v} ne, {t}",
    "{t}. dia chi: {v}",
    "{t} nha minh {v}",
]

# Who is writing: (prefix, flags it adds).
PREFIXES = [
    ("", ""),
    ("", ""),
    ("", ""),
    ("Giúp em với, ", ""),
    ("Giup toi voi ", ""),
    ("alo, ", ""),
    ("Chau nhan giup ba noi 78 tuoi: ", "elderly"),
    ("Em là cháu, nhắn giùm ông ngoại: ", "elderly"),
    ("Toi gia roi mat kem, ", "elderly"),
    ("cho hoi ", ""),
    ("Kính gửi tổ hỗ trợ, ", ""),
    ("Con chào cô chú, ", ""),
    ("Me em bi liet 2 chan, ", "disability,home_visit"),
    ("Vo em dang mang thai thang thu 8, ", "pregnant"),
    ("Nha toi dung dien thoai cuc gach, ", "no_smartphone"),
    ("Bố tôi chỉ nói tiếng M'Nông, ", "ethnic_minority"),
    ("Hướng dẫn giúp ", ""),
    ("Huy oi ", ""),
]
SUFFIXES = [
    "",
    "",
    "",
    " a",
    " ạ",
    " nhe",
    " gap lam",
    " cam on",
    "!!!",
    " ...",
    " giup voi",
]
RAMBLE = [
    "Hom qua toi da len xa hoi nhung can bo ban qua, hen hom khac, ma nha xa lam"
    " di xe om mat 100 nghin. ",
    "Con cái đi làm ăn xa hết, ở nhà chỉ có hai ông bà già, mắt kém tay run. ",
    "Toi ko ranh ve dien thoai, may nay con moi mua cho, cai gi cung bang tieng anh. ",
    "Em nhan dum me vi me ko biet nhan tin, me noi la chuyen nay gap. ",
]

TEEN = [
    ("không", ["ko", "k", "hok", "khong"]),
    ("khong", ["ko", "k", "hong"]),
    ("được", ["dc", "đc", "duoc"]),
    ("duoc", ["dc", "đc"]),
    ("với", ["vs", "voi"]),
    ("voi", ["vs"]),
    ("gì", ["j"]),
    ("gi", ["j"]),
    ("vậy", ["z", "v"]),
    ("vay", ["z"]),
    ("rồi", ["r", "roai"]),
    ("roi", ["r"]),
    ("điện thoại", ["dt", "đt"]),
    ("dien thoai", ["dt", "đt"]),
    ("tài khoản", ["tk"]),
    ("tai khoan", ["tk"]),
    ("biết", ["bik", "bít"]),
    ("biet", ["bik", "bit"]),
    ("mình", ["mk", "mik"]),
    ("minh", ["mk"]),
    ("trước", ["trc"]),
    ("truoc", ["trc"]),
    ("triệu", ["tr", "củ"]),
    ("trieu", ["tr", "cu"]),
    ("chuyển khoản", ["ck"]),
    ("chuyen khoan", ["ck"]),
    ("em ", ["e "]),
    ("anh ", ["a "]),
    ("thì", ["thi", "th"]),
]


def strip_marks(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def teen(text: str, rng: random.Random) -> str:
    for word, subs in TEEN:
        pattern = re.compile(rf"\b{re.escape(word.strip())}\b", re.IGNORECASE)
        if pattern.search(text) and rng.random() < 0.7:
            text = pattern.sub(rng.choice(subs).strip(), text)
    return text


def typo(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    kind = rng.random()
    if kind < 0.4:  # swap two letters
        w = w[: j - 1] + w[j] + w[j - 1] + w[j + 1 :]
    elif kind < 0.7:  # drop one
        w = w[:j] + w[j + 1 :]
    else:  # double one
        w = w[:j] + w[j] + w[j:]
    words[i] = w
    return " ".join(words)


def merge_flags(*parts: str) -> str:
    flags = sorted({f for p in parts for f in p.split(",") if f})
    return ",".join(flags)


def pick_village(rng: random.Random) -> tuple[str, str]:
    """(registry name, as written), or ("", "") a third of the time."""
    roll = rng.random()
    if roll < 0.3:
        return "", ""
    if roll < 0.62:
        n = rng.randint(1, 15)
        return f"Thôn {n}", rng.choice(thon_forms(n))
    if roll < 0.9:
        name = rng.choice(list(NAMED_VILLAGES))
        return name, rng.choice(NAMED_VILLAGES[name])
    name = rng.choice(list(LANDMARKS))
    return name, rng.choice(LANDMARKS[name])


def dress(text: str, flags: str, rng: random.Random) -> tuple[str, str, str]:
    """One variant of a sentence: (text, village, flags)."""
    prefix, prefix_flags = rng.choice(PREFIXES)
    if prefix.startswith("Me em bi liet") and "mang thai" in text:
        prefix, prefix_flags = "", ""
    body = text
    if rng.random() < 0.12:
        body = rng.choice(RAMBLE) + body
        if "ông bà già" in body:
            flags = merge_flags(flags, "elderly")
    village, written = pick_village(rng)
    if village:
        frame = rng.choice(VILLAGE_FRAMES)
        if written.startswith(("gan", "gần", "canh", "cạnh", "sau", "doi dien")):
            frame = rng.choice(["{t}, nha {v}", "{t}. nha em o {v}", "{t} ({v})"])
        body = frame.format(t=body, v=written)
    out = prefix + body + rng.choice(SUFFIXES)
    roll = rng.random()
    if roll < 0.5:
        out = strip_marks(out)
    if rng.random() < 0.3:
        out = teen(out, rng)
    if rng.random() < 0.15:
        out = typo(out, rng)
    if rng.random() < 0.08:
        out = out.upper()
    elif rng.random() < 0.15:
        out = out.lower()
    return out.strip(), village, merge_flags(flags, prefix_flags)


COMMANDS = [
    # (text, command)
    ("GIUP", "help"), ("giup", "help"), ("Giúp", "help"), ("HD", "help"),
    ("hd", "help"), ("Help", "help"), ("HELP", "help"), ("huong dan", "help"),
    ("Hướng dẫn", "help"), ("GIUP VNEID", "help"), ("giup dvc", "help"),
    ("HD hoso", "help"), ("help scam", "help"), ("giúp!", "help"),
    ("TT DA-7K3Q9", "status"), ("tt da-7k3q9", "status"), ("TT DA 7K3Q9WX", "status"),
    ("Trạng thái DA-7K3Q9", "status"), ("tinh trang DA7K3Q9", "status"),
    ("tt", "status"), ("TT.", "status"), ("TT DA-KMNPQRS", "status"),
    ("HUY DA-7K3Q9", "cancel"), ("hủy da-7k3q9", "cancel"), ("Huỷ DA-7K3Q9", "cancel"),
    ("HUY", "cancel"), ("huy DA7K3Q9WX", "cancel"),
    ("5", "rating"), ("1", "rating"), ("4 sao", "rating"), ("DG 3", "rating"),
    ("5*", "rating"), (" 2 ", "rating"),
    ("NHAN", "accept"), ("nhận DA-7K3Q9", "accept"), ("Nhan da-7k3q9", "accept"),
    ("TU CHOI", "decline"), ("từ chối DA-7K3Q9 đang đi xa", "decline"),
    ("tu choi dang o ray", "decline"), ("XONG", "done"), ("xong DA-7K3Q9", "done"),
    ("XM CN-2025-0042", "certificate"), ("xm cn-2025-0042", "certificate"),
]  # fmt: skip

# Texts that start like a command but are requests: the reply mentions the command.
NEAR_COMMANDS = [
    ("Giúp em với, bị lừa mất tiền, em ở thôn 3", "scam", "Thôn 3", ""),
    ("Giup toi lam ho so dang ky ket hon", "dossier", "", ""),
    ("Hủy giúp tôi cái đăng ký tạm trú nộp nhầm hôm qua", "dossier", "", ""),
    ("huy giup em lenh chuyen tien cho so la vua goi", "scam", "", ""),
    ("Help me kich hoat vneid muc 2, thon 4", "vneid", "Thôn 4", ""),
    ("HD cai app ngan hang cho me", "epayment", "", ""),
    ("huong dan dang nhap cong dich vu cong voi", "portal", "", ""),
    ("tt ho so khai sinh cua con toi sao roi", "dossier", "", ""),
    ("Trạng thái hồ sơ sổ đỏ của tôi thế nào rồi", "dossier", "", ""),
    ("Nhận được tin nhắn lạ bảo chuyển tiền", "scam", "", ""),
    ("nhan duoc cuoc goi xung cong an doi ma otp", "scam", "", ""),
    ("Xong roi ma vneid van chua kich hoat", "vneid", "", ""),
    ("5 nguoi trong nha chua co vneid, thon 5", "vneid", "Thôn 5", ""),
    ("3 trieu bi tru khi quet ma qr o cho", "scam", "", ""),
    ("giup", "", "", ""),  # placeholder replaced below (kept for group numbering)
    ("GIUP BA NOI KICH HOAT VNEID", "vneid", "", "elderly"),
    ("giup toi", "other", "", ""),
    ("Giúp tôi với", "other", "", ""),
    ("help", "", "", ""),  # placeholder
    ("tu choi cuoc goi la the nao cho an toan", "other", "", ""),
    ("TT ba em muon hoi luong huu", "other", "", "elderly"),
    ("HD su dung zalo", "other", "", ""),
    ("huong dan toi lam the can cuoc cho con", "dossier", "", ""),
    ("Huy the atm bi mat nhu the nao", "epayment", "", ""),
    ("xm giup toi cai ho so nay", "dossier", "", ""),
    ("1 so la goi doi otp ngan hang", "scam", "", ""),
    ("2 ong ba gia o bon ja rah can lam vneid", "vneid", "Bon Ja Răh", "elderly"),
]

# Flag traps: words that look like a flag but are not one.
FLAG_TRAPS = [
    ("người giả danh công an gọi đòi chuyển tiền", "scam", "", ""),
    ("nguoi gia danh can bo xa goi doi tien", "scam", "", ""),
    ("gia dinh toi can lam vneid cho 3 nguoi, thon 6", "vneid", "Thôn 6", ""),
    ("Gia đình tôi muốn đăng ký thường trú", "dossier", "", ""),
    ("liet ke giup cac giay to can de lam khai sinh", "dossier", "", ""),
    ("mu bao hiem bi quen o uy ban xa", "other", "", ""),
    ("nguoi gia mao nhan vien dien luc goi den", "scam", "", ""),
    ("giá điện tháng này tăng, thanh toán sao", "epayment", "", ""),
    ("nha toi o xom 4 gan cong truong, can lam ho so tam tru", "dossier", "Thôn 4", ""),
    ("ong ba ngoai em gia lam roi, can lam vneid", "vneid", "", "elderly"),
    (
        "cu ba 85 tuoi nam liet giuong can nhan tro cap",
        "dossier",
        "",
        "disability,elderly,home_visit",
    ),
]


def rows() -> list[dict[str, str]]:
    rng = random.Random(SEED)
    out: list[dict[str, str]] = []
    seen: set[str] = set()

    def add(text, category, village, flags, command, group):
        key = text.strip().lower()
        if key in seen:
            return
        seen.add(key)
        out.append(
            {
                "text": text,
                "category": category,
                "village": village,
                "flags": flags,
                "command": command,
                "group": group,
            }
        )

    plain = [("vneid", VNEID), ("portal", PORTAL), ("dossier", DOSSIER),
             ("epayment", EPAYMENT), ("other", OTHER)]  # fmt: skip
    for category, sentences in plain:
        for i, (text, flags) in enumerate(sentences):
            group = f"{category}-{i:02d}"
            for _ in range(2):
                t, v, f = dress(text, flags, rng)
                add(t, category, v, f, "", group)
    for pattern, sentences in SCAM.items():
        for i, (text, flags) in enumerate(sentences):
            group = f"scam-{pattern}-{i:02d}"
            for _ in range(2):
                t, v, f = dress(text, flags, rng)
                add(t, "scam", v, f, "", group)
    for i, (text, command) in enumerate(COMMANDS):
        add(text, "", "", "", command, f"command-{i:02d}")
    for i, (text, category, village, flags) in enumerate(NEAR_COMMANDS):
        if category:
            add(text, category, village, flags, "", f"near-{i:02d}")
    for i, (text, category, village, flags) in enumerate(FLAG_TRAPS):
        add(text, category, village, flags, "", f"trap-{i:02d}")
    return out


def main() -> int:
    data = rows()
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle,
            fieldnames=["text", "category", "village", "flags", "command", "group"],
            delimiter="\t",
            quoting=csv.QUOTE_MINIMAL,
            lineterminator="\n",
        )
        writer.writeheader()
        writer.writerows(data)
    scams = sum(1 for r in data if r["category"] == "scam")
    print(f"{len(data)} rows, {scams} scam reports → {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
