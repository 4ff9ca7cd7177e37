package dev.sluice.core.format.openai;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.format.chat.Part;

/**
 * Images as OpenAI's chat and Responses APIs give them: one URL string, where inline data travels as a base64
 * {@code data:} URL, so that other formats receive the media type and data apart.
 */
final class ImageUrls {

    private static final String BASE64 = ";base64";

    private ImageUrls() {
    }

    /** The image an {@code image_url} stands for; a data URL that is not base64 is refused against {@code at}. */
    static Part.Image decode(String url, String at) {
        if (!url.startsWith("data:")) {
            return Part.Image.ofUrl(url);
        }
        int comma = url.indexOf(',');
        String header = comma < 0 ? "" : url.substring(5, comma);
        if (!header.endsWith(BASE64) || header.length() == BASE64.length()) {
            throw new InvalidRequestException("An image data URL must be 'data:<media type>;base64,<data>'", at);
        }
        return Part.Image.ofData(header.substring(0, header.length() - BASE64.length()), url.substring(comma + 1));
    }

    /** The {@code image_url} for an image: its URL, or a data URL holding its data. */
    static String encode(Part.Image image) {
        return image.url() != null ? image.url() : "data:" + image.mediaType() + ";base64," + image.base64Data();
    }
}
