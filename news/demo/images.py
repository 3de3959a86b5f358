"""Lead images for demo articles, drawn with Pillow so no binary files live in git."""

import io
import random

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 675


def lead_image(colour, seed):
    """A JPEG of a simple skyline in `colour`, different for every seed."""
    rng = random.Random(seed)
    image = Image.new("RGB", (WIDTH, HEIGHT), colour)
    draw = ImageDraw.Draw(image)
    base = Image.new("RGB", (1, 1), colour).getpixel((0, 0))
    for band in range(HEIGHT // 2, HEIGHT, 8):
        shade = tuple(max(0, c - (band - HEIGHT // 2) // 6) for c in base)
        draw.rectangle([0, band, WIDTH, band + 8], fill=shade)
    x = 0
    while x < WIDTH:
        width = rng.randint(40, 140)
        top = rng.randint(HEIGHT // 4, HEIGHT - 120)
        tone = rng.randint(20, 60)
        draw.rectangle([x, top, x + width, HEIGHT], fill=(tone, tone + 10, tone + 25))
        x += width + rng.randint(0, 20)
    font = ImageFont.load_default(size=64)
    draw.text((48, 40), "KAZINFORM", fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue()
