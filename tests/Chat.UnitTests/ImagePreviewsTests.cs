using Chat.BlobStorage;
using Chat.Grains.Attachments;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace Chat.UnitTests;

public sealed class ImagePreviewsTests
{
    private readonly ImagePreviews _previews = new(Options.Create(new AttachmentOptions { ThumbnailEdge = 256, MediumEdge = 1024 }));

    [Fact]
    public void PreviewsFitTheirEdgesAndKeepTheAspectRatio()
    {
        var result = _previews.Make(new MemoryStream(Encode(Halves(3000, 1000), SKEncodedImageFormat.Png)))!;

        Assert.Equal((3000, 1000), (result.Width, result.Height));
        Assert.Equal((1024, 341), Size(result.Medium!));
        Assert.Equal((256, 85), Size(result.Thumbnail!));
    }

    [Fact]
    public void SmallImagesAreNeverEnlarged()
    {
        var result = _previews.Make(new MemoryStream(Encode(Halves(100, 50), SKEncodedImageFormat.Png)))!;
        Assert.Equal((100, 50), Size(result.Thumbnail!));
    }

    [Fact]
    public void ExifOrientationIsAppliedToSizeAndPixels()
    {
        // Stored 40x20, left half red, right half blue, tagged "rotate 90° clockwise to display" (orientation 6):
        // displayed 20x40 with red on top.
        var jpeg = WithExifOrientation(Encode(Halves(40, 20), SKEncodedImageFormat.Jpeg), 6);
        var result = _previews.Make(new MemoryStream(jpeg))!;

        Assert.Equal((20, 40), (result.Width, result.Height));
        Assert.Equal((20, 40), ImagePreviews.ReadSize(new MemoryStream(jpeg)));
        using var medium = SKBitmap.Decode(result.Medium!);
        Assert.Equal((20, 40), (medium.Width, medium.Height));
        Assert.True(medium.GetPixel(10, 5).Red > 200 && medium.GetPixel(10, 5).Blue < 80, $"top is {medium.GetPixel(10, 5)}");
        Assert.True(medium.GetPixel(10, 35).Blue > 200 && medium.GetPixel(10, 35).Red < 80, $"bottom is {medium.GetPixel(10, 35)}");
    }

    [Fact]
    public void BytesThatAreNoImageGiveNoPreviews()
    {
        Assert.Null(_previews.Make(new MemoryStream("%PDF-1.7 not an image"u8.ToArray())));
        Assert.Null(ImagePreviews.ReadSize(new MemoryStream([1, 2, 3])));
    }

    private static SKBitmap Halves(int width, int height)
    {
        var bitmap = new SKBitmap(width, height);
        using var canvas = new SKCanvas(bitmap);
        using var red = new SKPaint { Color = SKColors.Red };
        using var blue = new SKPaint { Color = SKColors.Blue };
        canvas.DrawRect(0, 0, width / 2f, height, red);
        canvas.DrawRect(width / 2f, 0, width / 2f, height, blue);
        return bitmap;
    }

    private static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format)
    {
        using (bitmap)
        {
            using var data = bitmap.Encode(format, 95);
            return data.ToArray();
        }
    }

    private static (int, int) Size(byte[] image)
    {
        using var bitmap = SKBitmap.Decode(image);
        return (bitmap.Width, bitmap.Height);
    }

    /// <summary>Inserts a minimal EXIF APP1 segment (big-endian TIFF, one Orientation entry) after the JPEG SOI marker.</summary>
    private static byte[] WithExifOrientation(byte[] jpeg, byte orientation)
    {
        byte[] app1 =
        [
            0xFF, 0xE1, 0x00, 0x22, (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,
            0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
        ];
        return [.. jpeg[..2], .. app1, .. jpeg[2..]];
    }
}
