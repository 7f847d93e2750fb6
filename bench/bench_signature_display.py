"""What checking a received PDF's signatures costs the document page (documents/signatures.py).

    python bench/bench_signature_display.py

The page checks each received PDF once per file, trust roots and day, then keeps the verdict in the
cache. This prints the best of 5 runs of ``pdfsign.validate_pdf`` (a cache miss) for realistic files:
a 2-page letter signed by its body, the same with the signer's and the body's signatures, and a
20-page 150 dpi scan signed by the body; and, as the reference in the same run, what a cache hit costs
(unpickling the stored verdicts, as Django's local-memory cache does on a get), with the ratio.
"""

from __future__ import annotations

import datetime as dt
import io
import pickle
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]
from reportlab.pdfgen import canvas  # type: ignore[import-untyped]

from vanphong.lib import pdfsign, pdfstamp, pki

FONT = "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"
RUNS = 5
WHEN = dt.datetime(2026, 11, 20, 9, 30, tzinfo=pdfsign.VIETNAM_TZ)


def letter(pages: int) -> bytes:
    pdfmetrics.registerFont(TTFont("BenchSerif", FONT))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    for number in range(pages):
        page.setFont("BenchSerif", 13)
        page.drawString(80, 780, "ỦY BAN NHÂN DÂN TỈNH SƠN HÀ — Số: 1234/UBND-VX")
        for line in range(34):
            page.drawString(80, 740 - line * 20, f"Trang {number + 1}, dòng {line + 1}: triển khai Nghị quyết 57-NQ/TW")
        page.showPage()
    page.save()
    return out.getvalue()


def scan(pages: int) -> bytes:
    font = ImageFont.truetype(FONT, 28)
    images = []
    for number in range(pages):
        image = Image.new("L", (1240, 1754), 255)
        draw = ImageDraw.Draw(image)
        for line in range(40):
            draw.text((120, 120 + line * 38), f"Trang {number + 1} — Nghị quyết số 57-NQ/TW, dòng {line}", font=font)
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=80, dpi=(150, 150))
        images.append(out.getvalue())
    return pdfstamp.images_to_pdf(images)


def sign(pdf: bytes, identity: pki.SigningIdentity, field: str) -> bytes:
    return pdfsign.sign_pdf(
        pdf, identity, field_name=field, reason="Ký số", location="Sơn Hà", appearance=None, signing_time=WHEN
    )


def best(action: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ca = pki.make_ca("CA chuyên dùng Chính phủ (thử nghiệm)")
    body = ca.issue_organization("Ủy ban nhân dân tỉnh Sơn Hà")
    chairman = ca.issue_person("Phạm Quốc Việt", organization="Ủy ban nhân dân tỉnh Sơn Hà")
    roots = [ca.certificate]
    files = {
        "letter, 2 pages, 1 signature": sign(letter(2), body, "CoQuan"),
        "letter, 2 pages, 2 signatures": sign(sign(letter(2), chairman, "ChuTich"), body, "CoQuan"),
        "scan, 20 pages, 1 signature": sign(scan(20), body, "CoQuan"),
    }
    for name, data in files.items():
        reports = pdfsign.validate_pdf(data, trust_roots=roots)
        assert all(r.status == "valid" for r in reports), [r.status for r in reports]
        # What the cache keeps: per signature its status, signer, organisation and claimed time.
        verdicts = [
            (r.status, r.signer_cn, r.signer_organization, r.signing_time.isoformat() if r.signing_time else "")
            for r in reports
        ]
        cached = pickle.dumps(verdicts)
        miss = best(lambda data=data: pdfsign.validate_pdf(data, trust_roots=roots))  # type: ignore[misc]
        hit = best(lambda cached=cached: pickle.loads(cached))  # type: ignore[misc]  # noqa: S301 (our own bytes)
        print(
            f"{name:32} {len(data) / 1024:8.0f} KiB  miss {miss * 1000:7.1f} ms  "
            f"hit {hit * 1_000_000:6.1f} µs  miss/hit {miss / hit:8.0f}x"
        )


if __name__ == "__main__":
    main()
