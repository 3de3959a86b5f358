"""Lead images for demo articles, drawn with Pillow so no binary files live in git.

Illustrations, not photographs: a handful of scenes (steppe and mountains, a city
at dusk, a river, fields, a meeting table seen from above, abstract shapes), each
in its own palette and composition for every seed, so a front page of demo
stories does not show the same picture twelve times. They carry no lettering at
all: cards crop pictures to other aspect ratios, and a word cut in half, or in
Latin letters on the Chinese page, looks broken. Deterministic: the same seed
always draws the same picture, so loading the demo twice changes nothing.
"""

import hashlib
import io
import random

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1200, 675

# (sky top, sky bottom, land, accent): dawn, noon, dusk, winter, night-blue, autumn.
PALETTES = [
    ((253, 186, 116), (255, 236, 210), (86, 119, 74), (214, 90, 49)),
    ((70, 140, 210), (190, 225, 245), (120, 150, 70), (250, 210, 80)),
    ((60, 40, 110), (240, 120, 90), (40, 45, 70), (255, 200, 90)),
    ((150, 180, 205), (235, 242, 248), (225, 232, 240), (60, 90, 130)),
    ((12, 34, 72), (40, 90, 150), (20, 30, 50), (255, 220, 130)),
    ((190, 120, 60), (245, 215, 160), (150, 95, 45), (120, 40, 30)),
]


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _shade(colour, amount):
    return tuple(max(0, min(255, c + amount)) for c in colour)


def _sky(draw, top, bottom, horizon=HEIGHT):
    for y in range(0, horizon, 4):
        draw.rectangle([0, y, WIDTH, y + 4], fill=_mix(top, bottom, y / horizon))


def _ridge(rng, base, roughness):
    """Heights of a mountain ridge across the picture (midpoint displacement)."""
    points = [base + rng.randint(-roughness, roughness) for _ in range(2)]
    spread = roughness
    while len(points) < 65:
        spread = max(2, spread // 2)
        refined = []
        for left, right in zip(points, points[1:], strict=False):
            refined += [left, (left + right) // 2 + rng.randint(-spread, spread)]
        points = [*refined, points[-1]]
    step = WIDTH / (len(points) - 1)
    return [(round(i * step), y) for i, y in enumerate(points)]


def _steppe(draw, rng, palette):
    top, bottom, land, accent = palette
    horizon = rng.randint(HEIGHT // 2, HEIGHT * 2 // 3)
    _sky(draw, top, bottom)
    sun = (rng.randint(150, WIDTH - 150), rng.randint(80, horizon - 120))
    radius = rng.randint(40, 80)
    draw.ellipse([sun[0] - radius, sun[1] - radius, sun[0] + radius, sun[1] + radius], fill=accent)
    for layer, lift in enumerate((220, 140, 60)):
        ridge = _ridge(rng, horizon - lift + rng.randint(-20, 20), 90 - layer * 25)
        colour = _mix(_mix(top, bottom, 0.6), land, 0.35 + layer * 0.3)
        draw.polygon([(0, HEIGHT), *ridge, (WIDTH, HEIGHT)], fill=colour)
    draw.rectangle([0, horizon, WIDTH, HEIGHT], fill=land)
    for _ in range(rng.randint(20, 40)):  # grass tufts
        x, y = rng.randint(0, WIDTH), rng.randint(horizon + 10, HEIGHT)
        draw.line(
            [x, y, x + rng.randint(-6, 6), y - rng.randint(6, 16)], fill=_shade(land, -30), width=3
        )


def _city(draw, rng, palette):
    top, bottom, land, accent = palette
    _sky(draw, top, bottom)
    ground = HEIGHT - rng.randint(60, 110)
    for depth, tone in ((0, 0.45), (1, 0.75)):
        x = rng.randint(-40, 0)
        while x < WIDTH:
            width = rng.randint(50, 130)
            top_y = rng.randint(HEIGHT // 5 + depth * 80, ground - 80)
            colour = _mix(bottom, land, tone)
            draw.rectangle([x, top_y, x + width, ground], fill=colour)
            if rng.random() < 0.2:  # a spire or a dome
                middle = x + width // 2
                draw.polygon(
                    [
                        (middle - 8, top_y),
                        (middle, top_y - rng.randint(40, 120)),
                        (middle + 8, top_y),
                    ],
                    fill=colour,
                )
            if depth:  # lit windows on the nearer row
                for wy in range(top_y + 12, ground - 12, 22):
                    for wx in range(x + 10, x + width - 14, 18):
                        if rng.random() < 0.45:
                            draw.rectangle([wx, wy, wx + 7, wy + 10], fill=accent)
            x += width + rng.randint(0, 16)
    draw.rectangle([0, ground, WIDTH, HEIGHT], fill=_shade(land, -15))


def _river(draw, rng, palette):
    top, bottom, land, accent = palette
    horizon = rng.randint(HEIGHT // 3, HEIGHT // 2)
    _sky(draw, top, bottom, horizon)
    draw.rectangle([0, horizon, WIDTH, HEIGHT], fill=land)
    water = _mix(top, (255, 255, 255), 0.2)
    centre, width = rng.randint(WIDTH // 3, WIDTH * 2 // 3), 20
    left, right = [], []
    for y in range(horizon, HEIGHT + 20, 20):
        centre += rng.randint(-30, 30)
        width += 18
        left.append((centre - width // 2, y))
        right.append((centre + width // 2, y))
    draw.polygon([*left, *reversed(right)], fill=water)
    for _ in range(rng.randint(12, 24)):  # ripples
        y = rng.randint(horizon + 40, HEIGHT - 10)
        x = rng.randint(0, WIDTH)
        draw.line([x, y, x + rng.randint(20, 60), y], fill=_shade(water, 35), width=3)
    for _ in range(rng.randint(5, 12)):  # trees on the banks
        x = rng.choice([rng.randint(0, WIDTH // 4), rng.randint(WIDTH * 3 // 4, WIDTH)])
        y = rng.randint(horizon + 10, horizon + 120)
        size = rng.randint(30, 70)
        draw.ellipse([x - size // 2, y - size, x + size // 2, y], fill=_shade(land, -40))


def _fields(draw, rng, palette):
    top, bottom, land, accent = palette
    horizon = rng.randint(HEIGHT // 4, HEIGHT // 3)
    _sky(draw, top, bottom, horizon)
    colours = [land, _shade(land, 30), _mix(land, accent, 0.4), _shade(land, -25)]
    draw.rectangle([0, horizon, WIDTH, HEIGHT], fill=land)
    vanishing = (rng.randint(WIDTH // 4, WIDTH * 3 // 4), horizon)
    edges = [-4 * WIDTH, *sorted(rng.sample(range(-WIDTH, 2 * WIDTH, 40), 9)), 5 * WIDTH]
    for i, (a, b) in enumerate(zip(edges, edges[1:], strict=False)):
        draw.polygon([vanishing, (a, HEIGHT), (b, HEIGHT)], fill=colours[i % len(colours)])
    for x in range(-WIDTH, 2 * WIDTH, 90):  # furrows
        draw.line([vanishing, (x, HEIGHT)], fill=_shade(land, -35), width=2)


def _meeting(draw, rng, palette):
    """A conference table from above: chairs round an oval, papers and cups on it."""
    top, bottom, land, accent = palette
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill=_mix(bottom, (255, 255, 255), 0.3))
    for x in range(0, WIDTH, 60):  # parquet
        draw.line([x, 0, x, HEIGHT], fill=_shade(_mix(bottom, (255, 255, 255), 0.3), -12), width=2)
    box = [WIDTH * 0.18, HEIGHT * 0.3, WIDTH * 0.82, HEIGHT * 0.7]
    seats = rng.randint(4, 7)
    for i in range(seats):
        x = box[0] + 40 + i * (box[2] - box[0] - 80) / max(1, seats - 1)
        for y in (box[1] - 55, box[3] + 15):
            draw.rounded_rectangle([x - 28, y, x + 28, y + 40], 10, fill=_shade(top, -20))
    draw.rounded_rectangle(box, 140, fill=_mix(land, (120, 80, 50), 0.7))
    for i in range(seats):
        x = box[0] + 40 + i * (box[2] - box[0] - 80) / max(1, seats - 1)
        for y in (box[1] + 14, box[3] - 60):
            draw.rectangle([x - 18, y, x + 18, y + 46], fill=(250, 250, 245))
            draw.ellipse([x + 24, y + 10, x + 40, y + 26], fill=accent)
    centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    draw.ellipse(
        [centre[0] - 40, centre[1] - 22, centre[0] + 40, centre[1] + 22], fill=(90, 140, 80)
    )


def _shapes(draw, rng, palette):
    top, bottom, land, accent = palette
    _sky(draw, top, bottom)
    for _ in range(rng.randint(8, 14)):
        colour = rng.choice([top, bottom, land, accent, _shade(accent, 40), _shade(land, 40)])
        x, y, size = rng.randint(-100, WIDTH), rng.randint(-100, HEIGHT), rng.randint(80, 360)
        if rng.random() < 0.5:
            draw.ellipse([x, y, x + size, y + size], fill=colour)
        else:
            draw.polygon(
                [(x, y), (x + size, y + size // 3), (x + size // 3, y + size)], fill=colour
            )


SCENES = [_steppe, _city, _river, _fields, _meeting, _shapes]


def lead_image(seed, scene=None):
    """A JPEG illustration for `seed`; `scene` (an index into SCENES) picks the kind of
    picture, otherwise the seed does."""
    digest = hashlib.sha256(str(seed).encode()).digest()
    rng = random.Random(digest)
    draw_scene = SCENES[scene % len(SCENES)] if scene is not None else rng.choice(SCENES)
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw_scene(ImageDraw.Draw(image), rng, rng.choice(PALETTES))
    # A touch of softness: drawn edges read as illustration, not as clip art.
    image = image.filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue()
