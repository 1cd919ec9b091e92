"""Real image and document files made in the tests."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(fmt="JPEG", size=(800, 600), color=(180, 40, 40), **save_options) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    # A diagonal, so that a rotation is visible in the pixels.
    for i in range(min(size)):
        image.putpixel((i, i), (255, 255, 255))
    image.save(out, fmt, **save_options)
    return out.getvalue()


def upload(data: bytes, name="anh.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg_with_exif(size=(600, 400), orientation=6) -> bytes:
    """A JPEG with an orientation tag and a GPS position, as a phone writes it."""
    image = Image.new("RGB", size, (20, 90, 160))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation: 6 = rotate 90° clockwise to view
    exif[0x010F] = "Máy ảnh phóng viên"  # Make
    gps = {1: "N", 2: (20.0, 51.0, 30.0), 3: "E", 4: (106.0, 41.0, 0.0)}
    exif[0x8825] = gps  # GPSInfo: Hải Phòng
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": "<w:document>Quyết định</w:document>".encode(),
        }
    )


def xlsx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def odt_bytes() -> bytes:
    return zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b""})


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- Metadata, and reading it back from a file's bytes -----------------------

SECRET = b"SECRET 20.8575N 106.6880E"


def srgb_profile() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def linear_rgb_profile() -> bytes:
    """An RGB profile with sRGB's primaries and a linear tone curve (gamma 1.0):
    its mid-grey 128 is sRGB's 188, so a photo tagged with it shows whether its
    pixels were converted or its profile merely dropped."""
    profile = srgb_profile()
    curve = profile.index(b"para")
    # Curve type 0 (y = x ** g) with g = 1.0 in s15Fixed16; the tag keeps its size.
    return profile[:curve] + b"para\0\0\0\0\0\0\0\0\0\x01\0\0" + profile[curve + 16 :]


def jpeg_with_metadata(icc_profile: bytes | None = None, color=(128, 128, 128)) -> bytes:
    """A JPEG with every kind of segment a camera or an editing program writes:
    a comment, EXIF, XMP, IPTC (Photoshop's APP13), a colour profile and an APP15."""
    import struct

    exif = Image.Exif()
    exif[0x010F] = "SECRET camera"  # Make
    exif[0x9286] = SECRET.decode()  # UserComment
    out = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(
        out,
        "JPEG",
        comment=SECRET,
        exif=exif,
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + SECRET + b"</x:xmpmeta>",
        icc_profile=icc_profile or srgb_profile(),
    )
    data = out.getvalue()
    extra = b""
    for marker, payload in [
        (0xED, b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x20" + SECRET.ljust(32)),
        (0xEF, b"VENDOR\x00" + SECRET),
    ]:
        extra += bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload
    return data[:2] + extra + data[2:]


def png_with_metadata() -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET.decode())
    info.add_text("Author", SECRET.decode(), zip=True)
    info.add_itxt("Description", SECRET.decode(), lang="vi")
    exif = Image.Exif()
    exif[0x010F] = SECRET.decode()
    out = io.BytesIO()
    Image.new("RGBA", (400, 300), (20, 120, 60, 200)).save(
        out, "PNG", pnginfo=info, exif=exif, icc_profile=srgb_profile()
    )
    return out.getvalue()


def webp_with_metadata() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = SECRET.decode()
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (20, 60, 120)).save(
        out,
        "WEBP",
        exif=exif,
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + SECRET + b"</x:xmpmeta>",
        icc_profile=srgb_profile(),
    )
    return out.getvalue()


def gif_with_comment() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 100), (200, 200, 0)).convert("P").save(out, "GIF", comment=SECRET)
    return out.getvalue()


def jpeg_segments(data: bytes) -> list[str]:
    """The markers of a JPEG's segments before its image data: "APP0", "COM", "DQT"..."""
    import struct

    names = {0xC4: "DHT", 0xDB: "DQT", 0xDD: "DRI", 0xFE: "COM"}
    found, position = [], 2
    while data[position + 1] != 0xDA:  # start of scan: the pixels follow
        marker = data[position + 1]
        if 0xE0 <= marker <= 0xEF:
            name = f"APP{marker - 0xE0}"
        elif 0xC0 <= marker <= 0xCF and marker not in names:
            name = "SOF"
        else:
            name = names.get(marker, f"{marker:02X}")
        found.append(name)
        position += 2 + struct.unpack(">H", data[position + 2 : position + 4])[0]
    return found


def png_chunks(data: bytes) -> list[str]:
    import struct

    found, position = [], 8
    while position < len(data):
        length = struct.unpack(">I", data[position : position + 4])[0]
        found.append(data[position + 4 : position + 8].decode("latin-1"))
        position += 12 + length
    return found


def webp_chunks(data: bytes) -> list[str]:
    import struct

    found, position = [], 12
    while position < len(data):
        length = struct.unpack("<I", data[position + 4 : position + 8])[0]
        found.append(data[position : position + 4].decode("latin-1"))
        position += 8 + length + (length & 1)
    return found
