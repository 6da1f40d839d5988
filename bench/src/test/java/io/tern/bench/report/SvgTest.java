package io.tern.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.junit.jupiter.api.Test;

class SvgTest {

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    /** The data bars: rects with a title child (the background and legend swatches have none). */
    private static List<Element> bars(Document d) {
        NodeList rects = d.getElementsByTagName("rect");
        java.util.ArrayList<Element> out = new java.util.ArrayList<>();
        for (int i = 0; i < rects.getLength(); i++) {
            Element e = (Element) rects.item(i);
            if (e.getElementsByTagName("title").getLength() == 1) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void linearBarsAreProportionalAndWellFormed() throws Exception {
        String svg = Svg.bars("A <b> & \"c\"", List.of("64 B", "16 KiB"),
                List.of(new Svg.Series("Tern", List.of(100.0, 50.0)), new Svg.Series("Netty", List.of(25.0, Double.NaN))),
                "messages/s", false);
        Document d = parse(svg);
        List<Element> bars = bars(d);
        assertEquals(3, bars.size(), "the NaN value draws no bar");
        double h100 = Double.parseDouble(bars.get(0).getAttribute("height"));
        double h50 = Double.parseDouble(bars.get(2).getAttribute("height")); // group 2, Tern
        double h25 = Double.parseDouble(bars.get(1).getAttribute("height")); // group 1, Netty
        assertEquals(0.5, h50 / h100, 0.01);
        assertEquals(0.25, h25 / h100, 0.01);
        // the top of the scale is a round number at or above the largest value: 100 fills the plot
        assertEquals(Svg.HEIGHT - Svg.TOP - Svg.BOTTOM, h100, 0.1);
        assertEquals("Tern 64 B: 100", bars.get(0).getElementsByTagName("title").item(0).getTextContent());
        assertTrue(svg.contains("A &lt;b&gt; &amp; &quot;c&quot;"));
    }

    @Test
    void logScaleSpansDecades() throws Exception {
        String svg = Svg.bars("log", List.of("a", "b"),
                List.of(new Svg.Series("x", List.of(10.0, 1000.0))), "ops/s", true);
        List<Element> bars = bars(parse(svg));
        double h10 = Double.parseDouble(bars.get(0).getAttribute("height"));
        double h1000 = Double.parseDouble(bars.get(1).getAttribute("height"));
        // axis from 10 to 1000: 10 sits on the axis, 1000 at the top
        assertEquals(0, h10, 0.1);
        assertEquals(Svg.HEIGHT - Svg.TOP - Svg.BOTTOM, h1000, 0.1);
        assertTrue(svg.contains(">100</text>"), "a tick per decade");
    }

    @Test
    void linesHaveOnePointPerValue() throws Exception {
        Document d = parse(Svg.lines("lat", List.of("p50", "p99", "p99.9"),
                List.of(new Svg.Series("tern", List.of(1.0, 10.0, 100.0)), new Svg.Series("netty", List.of(2.0, 20.0, 200.0))),
                "µs", true));
        assertEquals(6, d.getElementsByTagName("circle").getLength());
        assertEquals(2, d.getElementsByTagName("polyline").getLength());
        String points = ((Element) d.getElementsByTagName("polyline").item(0)).getAttribute("points");
        assertEquals(3, points.split(" ").length);
    }

    @Test
    void compactNumbers() {
        assertEquals("1.5k", Svg.Scale.format(1500));
        assertEquals("2M", Svg.Scale.format(2_000_000));
        assertEquals("0.25", Svg.Scale.format(0.25));
        assertEquals(250.0, Svg.Scale.niceCeiling(201));
        assertEquals(1000.0, Svg.Scale.niceCeiling(999));
    }
}
