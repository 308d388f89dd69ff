"""Drawn product illustrations for the demo (coloured shapes and the product's name), made
with Pillow so the demo needs no downloaded photos. Each is labelled as a sample picture."""

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = (1200, 900)
FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
)
BACKGROUNDS = {
    "lily": ("#f6efe1", "#e7d9bd"),
    "apple": ("#fdf1e4", "#f4c9a0"),
    "pepper": ("#fbeee6", "#e9b8a4"),
    "walnut": ("#f3ebe0", "#d9c4a6"),
    "potato": ("#f1ede4", "#d6c9ad"),
    "meat": ("#fbefee", "#efc9c5"),
    "pear": ("#f2f5e4", "#d7e0ae"),
    "mushroom": ("#f5eee8", "#dcc7b6"),
    "oil": ("#fdf6df", "#f2dd95"),
    "vegetables": ("#eaf5e6", "#bfe0b3"),
}


def _font(size: int):
    for path in FONT_PATHS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def _can_draw_chinese(font) -> bool:
    return isinstance(font, ImageFont.FreeTypeFont) and "CJK" in (font.path or "")


def _gradient(kind: str) -> Image.Image:
    top, bottom = BACKGROUNDS.get(kind, ("#f6f1ea", "#e2d6c4"))
    img = Image.new("RGB", SIZE, top)
    base = Image.new("RGB", SIZE, bottom)
    mask = Image.linear_gradient("L").resize(SIZE)
    return Image.composite(base, img, mask)


def _lily(d, rng):
    for _ in range(5):
        x, y = rng.randint(330, 870), rng.randint(260, 560)
        for k in range(6):
            w = 170 - k * 22
            d.ellipse(
                [x - w, y - w * 0.8, x + w, y + w * 0.8],
                fill=(250 - k * 4, 244 - k * 6, 226 - k * 10),
                outline="#cdbb93",
                width=3,
            )


def _round_fruit(d, rng, colour, dark, leaf="#4f8a2b", count=5, r=120, stem=True):
    for _ in range(count):
        x, y = rng.randint(300, 900), rng.randint(300, 580)
        d.ellipse([x - r, y - r, x + r, y + r], fill=colour, outline=dark, width=5)
        d.ellipse([x - r * 0.55, y - r * 0.6, x - r * 0.15, y - r * 0.2], fill="#ffffff80")
        if stem:
            d.line([x, y - r, x + 12, y - r - 45], fill="#5b3a1e", width=9)
            d.ellipse([x + 14, y - r - 60, x + 80, y - r - 25], fill=leaf)


def _pepper(d, rng):
    for _ in range(160):
        x, y, r = rng.randint(250, 950), rng.randint(250, 640), rng.randint(14, 24)
        d.ellipse([x - r, y - r, x + r, y + r], fill=rng.choice(["#a3191b", "#c0392b", "#8e1b12"]))
        d.ellipse([x - 4, y - 4, x + 4, y + 4], fill="#2b1a12")


def _walnut(d, rng):
    for _ in range(9):
        x, y, r = rng.randint(280, 920), rng.randint(280, 620), rng.randint(70, 95)
        d.ellipse(
            [x - r, y - r * 1.1, x + r, y + r * 1.1], fill="#b98b57", outline="#6e4b26", width=5
        )
        d.line([x, y - r * 1.1, x, y + r * 1.1], fill="#6e4b26", width=5)
        for k in range(-2, 3):
            d.arc(
                [x - r + 15, y + k * 25 - 20, x + r - 15, y + k * 25 + 20],
                0,
                180,
                fill="#8a6236",
                width=3,
            )


def _potato(d, rng):
    for _ in range(7):
        x, y = rng.randint(300, 900), rng.randint(300, 600)
        w, h = rng.randint(110, 160), rng.randint(70, 100)
        d.ellipse([x - w, y - h, x + w, y + h], fill="#c9a26b", outline="#8a6a3c", width=5)
        for _ in range(4):
            ex, ey = x + rng.randint(-w // 2, w // 2), y + rng.randint(-h // 2, h // 2)
            d.ellipse([ex - 6, ey - 4, ex + 6, ey + 4], fill="#7d5f35")


def _meat(d, rng):
    d.rounded_rectangle(
        [260, 260, 940, 640], radius=120, fill="#b5332e", outline="#7c1d19", width=8
    )
    for _ in range(14):
        x, y = rng.randint(320, 880), rng.randint(310, 590)
        d.line([x, y, x + rng.randint(40, 120), y + rng.randint(-30, 30)], fill="#f3d9d3", width=10)
    d.rounded_rectangle([260, 260, 940, 320], radius=40, fill="#f6e7df")


def _pear(d, rng):
    for _ in range(4):
        x, y = rng.randint(330, 870), rng.randint(360, 560)
        d.ellipse([x - 120, y - 60, x + 120, y + 170], fill="#b7c94a", outline="#6f7d22", width=5)
        d.ellipse([x - 75, y - 150, x + 75, y + 20], fill="#b7c94a", outline="#6f7d22", width=5)
        d.line([x, y - 150, x + 10, y - 200], fill="#5b3a1e", width=9)


def _mushroom(d, rng):
    for _ in range(5):
        x, y = rng.randint(320, 880), rng.randint(380, 620)
        d.rounded_rectangle(
            [x - 35, y - 40, x + 35, y + 130], radius=25, fill="#f1e6d2", outline="#bda88a", width=4
        )
        d.pieslice(
            [x - 150, y - 150, x + 150, y + 70],
            180,
            360,
            fill="#9c3d24",
            outline="#5e2414",
            width=5,
        )


def _oil(d, rng):
    d.rounded_rectangle([500, 180, 700, 700], radius=60, fill="#e8b923", outline="#8c6a06", width=8)
    d.rectangle([560, 120, 640, 190], fill="#6b4f12")
    d.rounded_rectangle([520, 360, 680, 540], radius=20, fill="#fff8e1")
    # A peony on the label: five petals around a golden centre.
    for k in range(5):
        angle = math.radians(k * 72 - 90)
        cx, cy = 600 + 42 * math.cos(angle), 450 + 42 * math.sin(angle)
        d.ellipse([cx - 38, cy - 38, cx + 38, cy + 38], fill="#d9579a", outline="#a13a6e", width=3)
    d.ellipse([580, 430, 620, 470], fill="#f2c94c")


def _vegetables(d, rng):
    for _ in range(8):
        x, y = rng.randint(280, 920), rng.randint(300, 620)
        d.ellipse(
            [x - 90, y - 70, x + 90, y + 70], fill=rng.choice(["#4f9a3a", "#6cb24a", "#3f7f2c"])
        )
        d.line([x - 60, y, x + 60, y], fill="#d8efc9", width=6)


DRAWERS = {
    "lily": _lily,
    "apple": lambda d, rng: _round_fruit(d, rng, "#c8242b", "#7e1216"),
    "pepper": _pepper,
    "walnut": _walnut,
    "potato": _potato,
    "meat": _meat,
    "pear": _pear,
    "mushroom": _mushroom,
    "oil": _oil,
    "vegetables": _vegetables,
}


def illustration(kind: str, name_zh: str, name_en: str, seed: int = 0) -> Image.Image:
    """A 1200x900 drawing of the product with its name and a 'sample picture' label."""
    rng = random.Random(f"{kind}-{seed}")
    image = _gradient(kind)
    draw = ImageDraw.Draw(image, "RGBA")
    DRAWERS.get(kind, _vegetables)(draw, rng)
    title_font, small_font = _font(86), _font(38)
    title = name_zh if _can_draw_chinese(title_font) else name_en
    draw.rounded_rectangle([40, 680, 1160, 880], radius=30, fill=(255, 255, 255, 215))
    draw.text((80, 690), title, font=title_font, fill="#3b2a1a")
    label = "示例图片 · Sample picture" if _can_draw_chinese(small_font) else "Sample picture"
    draw.text((80, 40), label, font=small_font, fill="#6b5a48")
    draw.text((80, 862), name_en, font=_font(30), fill="#6b5a48", anchor="ls")
    return image
