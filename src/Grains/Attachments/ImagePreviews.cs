using Chat.BlobStorage;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace Chat.Grains.Attachments;

/// <summary>
/// Reads an image's displayed size and makes its thumbnail and medium previews (WebP) with SkiaSharp, honouring
/// the EXIF orientation. Large JPEGs are decoded at a reduced scale, so memory follows the preview size.
/// </summary>
public sealed class ImagePreviews(IOptions<AttachmentOptions> options)
{
    /// <summary>The displayed size (after orientation) and, unless the image is too large to decode, its previews.</summary>
    public sealed record Result(int Width, int Height, byte[]? Thumbnail, byte[]? Medium);

    /// <summary>The displayed size (after orientation) from the header alone; null when the bytes are not a readable image.</summary>
    public static (int Width, int Height)? ReadSize(Stream image)
    {
        using var codec = SKCodec.Create(image);
        return codec is null ? null : Displayed(codec);
    }

    /// <summary>Null when the bytes are not an image SkiaSharp can read.</summary>
    public Result? Make(Stream image)
    {
        using var codec = SKCodec.Create(image);
        if (codec is null)
        {
            return null;
        }

        var origin = codec.EncodedOrigin;
        var encoded = codec.Info;
        var (width, height) = Displayed(codec);
        if ((long)width * height > options.Value.MaxImagePixels)
        {
            return new Result(width, height, null, null);
        }

        var scale = Math.Min(1f, (float)options.Value.MediumEdge / Math.Max(encoded.Width, encoded.Height));
        var scaled = codec.GetScaledDimensions(scale);
        using var decoded = SKBitmap.Decode(codec, new SKImageInfo(scaled.Width, scaled.Height, SKImageInfo.PlatformColorType, SKAlphaType.Premul));
        if (decoded is null)
        {
            return new Result(width, height, null, null);
        }

        using var upright = Orient(decoded, origin);
        return new Result(width, height, Encode(upright, options.Value.ThumbnailEdge), Encode(upright, options.Value.MediumEdge));
    }

    private static (int Width, int Height) Displayed(SKCodec codec) =>
        SwapsAxes(codec.EncodedOrigin) ? (codec.Info.Height, codec.Info.Width) : (codec.Info.Width, codec.Info.Height);

    private static bool SwapsAxes(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>Redraws the pixels the way the EXIF orientation says they are meant to be seen.</summary>
    private static SKBitmap Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        var (w, h) = SwapsAxes(origin) ? (source.Height, source.Width) : (source.Width, source.Height);
        var upright = new SKBitmap(w, h, source.ColorType, source.AlphaType);
        using var canvas = new SKCanvas(upright);
        switch (origin)
        {
            case SKEncodedOrigin.TopRight: canvas.Translate(w, 0); canvas.Scale(-1, 1); break;
            case SKEncodedOrigin.BottomRight: canvas.Translate(w, h); canvas.RotateDegrees(180); break;
            case SKEncodedOrigin.BottomLeft: canvas.Translate(0, h); canvas.Scale(1, -1); break;
            case SKEncodedOrigin.LeftTop: canvas.RotateDegrees(90); canvas.Scale(1, -1); break;
            case SKEncodedOrigin.RightTop: canvas.Translate(w, 0); canvas.RotateDegrees(90); break;
            case SKEncodedOrigin.RightBottom: canvas.Translate(w, h); canvas.RotateDegrees(90); canvas.Scale(-1, 1); break;
            case SKEncodedOrigin.LeftBottom: canvas.Translate(0, h); canvas.RotateDegrees(270); break;
            default: break;
        }

        using var image = SKImage.FromBitmap(source);
        canvas.DrawImage(image, 0, 0, SKSamplingOptions.Default);
        return upright;
    }

    /// <summary>WebP no larger than <paramref name="edge"/> on its longest side (never enlarged); keeps transparency.</summary>
    private static byte[] Encode(SKBitmap image, int edge)
    {
        var scale = Math.Min(1.0, (double)edge / Math.Max(image.Width, image.Height));
        var size = new SKSizeI(Math.Max(1, (int)Math.Round(image.Width * scale)), Math.Max(1, (int)Math.Round(image.Height * scale)));
        using var resized = size.Width == image.Width ? image.Copy() : image.Resize(size, new SKSamplingOptions(SKCubicResampler.Mitchell));
        using var data = resized.Encode(SKEncodedImageFormat.Webp, 80);
        return data.ToArray();
    }
}
