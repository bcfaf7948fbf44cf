package dev.paddock.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** Latency-by-throughput line charts drawn with Java2D: one panel per payload, one line per server. */
final class Chart {
    record Series(String label, Color color, boolean dashed, List<double[]> points) {
    }

    record Panel(String title, List<Series> series) {
    }

    static final Color PADDOCK = new Color(0x1f77b4);
    static final Color ZOOKEEPER = new Color(0xff7f0e);

    private static final int PANEL_W = 620;
    private static final int PANEL_H = 440;
    private static final int TITLE_H = 44;

    private Chart() {
    }

    static void write(Path file, String title, String xLabel, String yLabel, List<Panel> panels) throws IOException {
        int width = PANEL_W * Math.max(1, panels.size());
        int height = PANEL_H + TITLE_H;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, 16, 28);
            for (int i = 0; i < panels.size(); i++) {
                drawPanel(g, panels.get(i), i * PANEL_W, TITLE_H, xLabel, yLabel);
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(img, "png", file.toFile());
    }

    private static void drawPanel(Graphics2D g, Panel panel, int ox, int oy, String xLabel, String yLabel) {
        int left = ox + 70;
        int right = ox + PANEL_W - 20;
        int top = oy + 30;
        int bottom = oy + PANEL_H - 60;
        double xMax = 0;
        double yMax = 0;
        for (Series s : panel.series()) {
            for (double[] p : s.points()) {
                if (Double.isFinite(p[0])) {
                    xMax = Math.max(xMax, p[0]);
                }
                if (Double.isFinite(p[1])) {
                    yMax = Math.max(yMax, p[1]);
                }
            }
        }
        double xStep = niceStep(xMax > 0 ? xMax * 1.05 : 1);
        double yStep = niceStep(yMax > 0 ? yMax * 1.1 : 1);
        double xTop = Math.ceil((xMax > 0 ? xMax * 1.05 : 1) / xStep) * xStep;
        double yTop = Math.ceil((yMax > 0 ? yMax * 1.1 : 1) / yStep) * yStep;

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString(panel.title(), left, oy + 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics fm = g.getFontMetrics();
        // grid and ticks
        for (double x = 0; x <= xTop + xStep / 2; x += xStep) {
            int px = (int) (left + (right - left) * x / xTop);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(px, top, px, bottom);
            g.setColor(Color.DARK_GRAY);
            String t = fmt(x);
            g.drawString(t, px - fm.stringWidth(t) / 2, bottom + 15);
        }
        for (double y = 0; y <= yTop + yStep / 2; y += yStep) {
            int py = (int) (bottom - (bottom - top) * y / yTop);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(left, py, right, py);
            g.setColor(Color.DARK_GRAY);
            String t = fmt(y);
            g.drawString(t, left - 6 - fm.stringWidth(t), py + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, right - left, bottom - top);
        g.drawString(xLabel, (left + right) / 2 - fm.stringWidth(xLabel) / 2, bottom + 32);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -((top + bottom) / 2 + fm.stringWidth(yLabel) / 2), ox + 16);
        rotated.dispose();

        // lines
        Stroke solid = new BasicStroke(2.2f);
        Stroke dashed = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f);
        for (Series s : panel.series()) {
            g.setColor(s.color());
            g.setStroke(s.dashed() ? dashed : solid);
            List<int[]> px = new ArrayList<>();
            for (double[] p : s.points()) {
                if (Double.isFinite(p[0]) && Double.isFinite(p[1])) {
                    px.add(new int[] {(int) (left + (right - left) * p[0] / xTop), (int) (bottom - (bottom - top) * p[1] / yTop)});
                }
            }
            for (int i = 1; i < px.size(); i++) {
                g.drawLine(px.get(i - 1)[0], px.get(i - 1)[1], px.get(i)[0], px.get(i)[1]);
            }
            for (int[] p : px) {
                if (s.dashed()) {
                    g.drawRect(p[0] - 3, p[1] - 3, 6, 6);
                } else {
                    g.fillOval(p[0] - 4, p[1] - 4, 8, 8);
                }
            }
        }
        // legend
        g.setStroke(new BasicStroke(1f));
        int ly = bottom + 46;
        int lx = left;
        for (Series s : panel.series()) {
            g.setColor(s.color());
            if (s.dashed()) {
                g.setStroke(dashed);
            } else {
                g.setStroke(solid);
            }
            g.drawLine(lx, ly - 4, lx + 24, ly - 4);
            g.setStroke(new BasicStroke(1f));
            g.setColor(Color.BLACK);
            g.drawString(s.label(), lx + 30, ly);
            lx += 40 + fm.stringWidth(s.label());
        }
    }

    static double niceStep(double range) {
        double raw = range / 6;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double norm = raw / mag;
        double nice = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
        return nice * mag;
    }

    private static String fmt(double v) {
        if (v == 0) {
            return "0";
        }
        if (Math.abs(v) >= 1000) {
            return v % 1000 == 0 ? (long) (v / 1000) + "k" : String.format("%.1fk", v / 1000);
        }
        if (Math.abs(v) >= 10) {
            return String.format("%.0f", v);
        }
        if (Math.abs(v) >= 1) {
            return String.format("%.1f", v);
        }
        return String.format("%.2f", v);
    }
}
