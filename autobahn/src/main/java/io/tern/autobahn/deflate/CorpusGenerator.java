package io.tern.autobahn.deflate;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Generates the substitutes for the official suite's group-12 data files (see {@link Corpus}).
 * Every generator is seeded and uses integer arithmetic only, so the output is the same on every
 * JVM; each fills exactly the official file's size, padding text kinds with ASCII spaces.
 * Stateless; safe from any thread.
 */
final class CorpusGenerator {

    private static final String[] GIVEN = {"Anna", "Jürgen", "Marie", "Lukas", "Sören", "Chloé", "José", "Zoë", "Björn", "Émile", "Ines", "Tomáš"};
    private static final String[] FAMILY = {"Müller", "Schmidt", "Weiß", "Dvořák", "Østergaard", "García", "Nguyễn", "Kowalski", "Öztürk", "Smith"};
    private static final String[] CITY = {"München", "Zürich", "Köln", "Düsseldorf", "Malmö", "Kraków", "São Paulo", "Москва", "東京", "Reykjavík"};
    private static final String[] TAGS = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"};
    private static final String[] WORDS = {"und", "die", "der", "nicht", "ich", "das", "zu", "mit", "mir", "sich", "ein", "ist",
        "du", "so", "wie", "auch", "mein", "Herz", "Welt", "Geist", "Nacht", "über", "fühlt", "Schöne", "Träume", "Blüte",
        "müssen", "schön", "Gefühl", "hören", "Glück", "grün", "weiß", "Straße", "Größe", "Füße", "Mädchen", "Bücher",
        "Wahrheit", "Himmel", "Erde", "Liebe", "Seele", "Natur", "Leben", "doch", "noch", "ganz", "Stunde", "Augenblick",
        "verweile", "bist", "tönt", "Sonne", "Brüder", "Sphären", "Wettgesang", "Donnergang", "Engel", "Stärke"};
    private static final String[] SPEAKERS = {"FAUST", "MEPHISTOPHELES", "WAGNER", "GRETCHEN", "MARTHE", "CHOR DER ENGEL", "DER HERR"};

    private CorpusGenerator() {
    }

    static byte[] generate(Corpus c) {
        return switch (c) {
            case JSON -> json(c.size());
            case BITMAP -> bitmap();
            case GERMAN_TEXT -> german(c.size());
            case HTML -> html(c.size());
            case PDF -> pdf(c.size());
        };
    }

    private static byte[] json(int size) {
        Random r = new Random(0x4a534f4eL);
        StringBuilder sb = new StringBuilder("[\n");
        byte[] closing = "\n]\n".getBytes(StandardCharsets.UTF_8);
        int bytes = 2;
        for (int id = 1; ; id++) {
            StringBuilder rec = new StringBuilder(id == 1 ? "" : ",\n");
            rec.append("  {\"id\": ").append(id)
                    .append(", \"guid\": \"").append(Long.toHexString(r.nextLong())).append('-').append(Integer.toHexString(r.nextInt(0x10000))).append('"')
                    .append(", \"isActive\": ").append(r.nextBoolean())
                    .append(", \"balance\": ").append(r.nextInt(100000)).append('.').append(10 + r.nextInt(90))
                    .append(", \"age\": ").append(18 + r.nextInt(60))
                    .append(", \"name\": \"").append(Corpus.pick(r, GIVEN)).append(' ').append(Corpus.pick(r, FAMILY)).append('"')
                    .append(", \"address\": {\"city\": \"").append(Corpus.pick(r, CITY)).append("\", \"zip\": \"").append(10000 + r.nextInt(89999))
                    .append("\", \"street\": \"").append(Corpus.pick(r, WORDS)).append("straße ").append(1 + r.nextInt(200)).append("\"}")
                    .append(", \"tags\": [");
            int tags = 1 + r.nextInt(5);
            for (int t = 0; t < tags; t++) {
                rec.append(t == 0 ? "" : ", ").append('"').append(Corpus.pick(r, TAGS)).append('"');
            }
            rec.append("], \"friends\": [");
            int friends = r.nextInt(4);
            for (int f = 0; f < friends; f++) {
                rec.append(f == 0 ? "" : ", ").append("{\"id\": ").append(r.nextInt(1000)).append(", \"name\": \"")
                        .append(Corpus.pick(r, GIVEN)).append("\"}");
            }
            rec.append("], \"greeting\": \"Hallo, ").append(Corpus.pick(r, GIVEN)).append("! Du hast ").append(r.nextInt(20))
                    .append(" ungelesene Nachrichten.\"}");
            int n = rec.toString().getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n + closing.length > size) {
                break;
            }
            sb.append(rec);
            bytes += n;
        }
        return padTo(sb, "\n]\n", size);
    }

    private static byte[] bitmap() {
        int w = 512;
        int h = 512;
        int header = 14 + 40 + 256 * 4;
        int total = header + w * h;
        byte[] b = new byte[total];
        // BITMAPFILEHEADER (little-endian)
        b[0] = 'B';
        b[1] = 'M';
        le32(b, 2, total);
        le32(b, 10, header);
        // BITMAPINFOHEADER
        le32(b, 14, 40);
        le32(b, 18, w);
        le32(b, 22, h);
        b[26] = 1;
        b[28] = 8;
        le32(b, 34, w * h);
        le32(b, 38, 2835);
        le32(b, 42, 2835);
        le32(b, 46, 256);
        for (int i = 0; i < 256; i++) {
            int p = 54 + i * 4;
            b[p] = (byte) i;
            b[p + 1] = (byte) i;
            b[p + 2] = (byte) i;
        }
        Random r = new Random(0x424d50L);
        int p = header;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v;
                int dx = x - 256;
                int dy = y - 200;
                if (dx * dx + dy * dy < 90 * 90) {
                    v = 200 + (x + y) % 16; // a bright disc with a fine texture
                } else if (y > 400 && x < 180) {
                    v = 40; // a flat dark area: long runs
                } else {
                    v = (x * 3 + y * 2) / 5 % 256; // gradients
                    v = (v + ((x / 32 + y / 32) % 2) * 30) & 0xff;
                }
                v += r.nextInt(7) - 3; // sensor-like noise
                b[p++] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        return b;
    }

    private static byte[] german(int size) {
        Random r = new Random(0x4661757374L);
        StringBuilder sb = new StringBuilder("Synthetischer Text, deterministisch erzeugt (kein Zitat).\r\n\r\n");
        int scene = 1;
        while (sb.length() < size) {
            if (r.nextInt(40) == 0) {
                sb.append("\r\n\r\n").append(scene++).append(". SZENE\r\n\r\n");
            }
            sb.append(Corpus.pick(r, SPEAKERS)).append(":\r\n");
            int lines = 1 + r.nextInt(8);
            for (int l = 0; l < lines; l++) {
                int words = 4 + r.nextInt(6);
                StringBuilder line = new StringBuilder();
                for (int k = 0; k < words; k++) {
                    String word = Corpus.pick(r, WORDS);
                    if (k == 0) {
                        word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
                    }
                    line.append(k == 0 ? "" : " ").append(word);
                }
                line.append(r.nextInt(5) == 0 ? "!" : r.nextInt(4) == 0 ? "," : ";");
                sb.append("  ").append(line).append("\r\n");
            }
            sb.append("\r\n");
        }
        return padTo(truncateChars(sb, size), "", size);
    }

    private static byte[] html(int size) {
        Random r = new Random(0x48544d4cL);
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<title>Synthetische Seite &ndash; deterministisch erzeugt</title>\n"
                + "<style>body{font-family:sans-serif;margin:0}.row{display:flex}.cell{padding:4px 8px}</style>\n</head>\n<body>\n");
        String tail = "</body>\n</html>\n";
        int bytes = sb.toString().getBytes(StandardCharsets.UTF_8).length;
        for (int section = 1; ; section++) {
            StringBuilder s = new StringBuilder();
            s.append("<div class=\"section\" id=\"s").append(section).append("\">\n<h2>Abschnitt ").append(section).append(": ")
                    .append(Corpus.pick(r, WORDS)).append(" &amp; ").append(Corpus.pick(r, WORDS)).append("</h2>\n");
            s.append("<table class=\"data\">\n");
            int rows = 2 + r.nextInt(6);
            for (int i = 0; i < rows; i++) {
                s.append("  <tr class=\"row\"><td class=\"cell\">").append(Corpus.pick(r, GIVEN)).append("</td><td class=\"cell\">")
                        .append(Corpus.pick(r, CITY)).append("</td><td class=\"cell num\">").append(r.nextInt(100000))
                        .append("</td><td class=\"cell\"><a href=\"/profil?id=").append(r.nextInt(10000)).append("\">Profil</a></td></tr>\n");
            }
            s.append("</table>\n<p>");
            int words = 20 + r.nextInt(40);
            for (int k = 0; k < words; k++) {
                s.append(k == 0 ? "" : " ").append(Corpus.pick(r, WORDS));
            }
            s.append(".</p>\n<ul>\n");
            int items = 1 + r.nextInt(4);
            for (int i = 0; i < items; i++) {
                s.append("  <li><span title=\"").append(Corpus.pick(r, TAGS)).append("\">").append(Corpus.pick(r, WORDS))
                        .append("</span></li>\n");
            }
            s.append("</ul>\n</div>\n");
            int n = s.toString().getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n + tail.length() > size) {
                break;
            }
            sb.append(s);
            bytes += n;
        }
        return padTo(sb, tail, size);
    }

    private static byte[] pdf(int size) {
        Random r = new Random(0x504446L);
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        write(out, "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        int obj = 1;
        String trailer = "trailer\n<< /Size 0 /Root 1 0 R >>\nstartxref\n0\n%%EOF\n";
        while (true) {
            StringBuilder dict = new StringBuilder();
            int kind = r.nextInt(3);
            int len = kind == 0 ? 2000 + r.nextInt(30000) : kind == 1 ? 200 + r.nextInt(2000) : 0;
            dict.append(obj++).append(" 0 obj\n<< /Type /").append(kind == 0 ? "XObject /Subtype /Image" : kind == 1 ? "Page" : "Font /Subtype /Type1")
                    .append(" /Length ").append(len).append(kind == 0 ? " /Filter /FlateDecode /Width 640 /Height 480" : "")
                    .append(" /Resources << /Font << /F1 4 0 R >> >> /MediaBox [0 0 612 792] >>\n");
            byte[] head = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
            int need = head.length + (len > 0 ? len + 18 : 0) + 8;
            if (out.size() + need + trailer.length() > size) {
                break;
            }
            out.write(head, 0, head.length);
            if (len > 0) {
                write(out, "stream\n");
                byte[] stream = new byte[len];
                if (kind == 0) {
                    r.nextBytes(stream); // compressed image data: incompressible
                } else {
                    StringBuilder ops = new StringBuilder();
                    while (ops.length() < len) {
                        ops.append("BT /F1 12 Tf ").append(r.nextInt(600)).append(' ').append(r.nextInt(800)).append(" Td (")
                                .append(Corpus.pick(r, TAGS)).append(") Tj ET\n");
                    }
                    byte[] text = ops.toString().getBytes(StandardCharsets.ISO_8859_1);
                    System.arraycopy(text, 0, stream, 0, len);
                }
                out.write(stream, 0, len);
                write(out, "\nendstream\n");
            }
            write(out, "endobj\n");
        }
        while (out.size() + trailer.length() < size) {
            out.write(' ');
        }
        write(out, trailer);
        return out.toByteArray();
    }

    private static String truncateChars(StringBuilder sb, int maxBytes) {
        String s = sb.toString();
        while (s.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            s = s.substring(0, s.length() - Math.max(1, (s.getBytes(StandardCharsets.UTF_8).length - maxBytes) / 2));
        }
        return s;
    }

    private static byte[] padTo(CharSequence body, String tail, int size) {
        byte[] a = body.toString().getBytes(StandardCharsets.UTF_8);
        byte[] t = tail.getBytes(StandardCharsets.UTF_8);
        byte[] result = new byte[size];
        System.arraycopy(a, 0, result, 0, a.length);
        for (int i = a.length; i < size - t.length; i++) {
            result[i] = ' ';
        }
        System.arraycopy(t, 0, result, size - t.length, t.length);
        return result;
    }

    private static byte[] padTo(String body, String tail, int size) {
        return padTo((CharSequence) body, tail, size);
    }

    private static void write(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        out.write(b, 0, b.length);
    }

    private static void le32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
