// A pair (a, b) rotated by the angle of cosine c and sine s, as the CPU backend rotates it: each
// product rounded before the sum (precise: no fused multiply-add), so rope.comp and
// store_rotated compute the same bits on every driver.
vec2 rotated(float a, float b, float c, float s)
{
    precise float x = a * c - b * s;
    precise float y = a * s + b * c;
    return vec2(x, y);
}
