package software

import (
	"image"
	"image/color"
	"image/draw"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/internal"
	"fyne.io/fyne/v2/internal/scale"
	"fyne.io/fyne/v2/theme"
)

// FramePainter paints a window's canvas into a frame in memory, for a
// driver that shows it without OpenGL. It has the methods of the GL
// driver's painter (gl.Painter): the driver's walk of the object tree calls
// Clear, then Paint for each visible object in order, with StartClipping
// and StopClipping around clipped subtrees; Finish then repaints what
// changed since the last frame and returns those rectangles, which are all
// the driver needs to show.
//
// What changed (the damage): the objects the driver freed (Free: the
// refresh queue's objects and their subtrees) unless what they show is
// known to be the same (a plain rectangle's colour, a text's string and
// style, where they are), the objects that moved,
// were resized, re-clipped, appeared or went away (their old and new
// rectangles). Each damaged rectangle is cleared to the background and the
// objects that touch it are drawn again, clipped to it. Each object's
// rendered pixels (text, images, shapes with corners or strokes) are
// cached until it is freed or stops being painted, so an unchanged label
// is not rasterised again to redraw what overlaps it.
//
// A frame whose only changes are objects without children painted in the
// last (a meter's rectangles, a timer's text) may skip the walk: Replace
// for each instead of Clear and Paint, then Finish, which keeps the last
// frame's other objects where they were.
type FramePainter struct {
	canvas   fyne.Canvas
	texScale float32
	frame    *image.RGBA
	clip     *image.Rectangle // in frame pixels; nil: none

	items    []item                     // this frame's objects in paint order
	replaced []item                     // Replace's, for this frame's Finish
	prev     map[fyne.CanvasObject]item // the last frame's
	freed    map[fyne.CanvasObject]bool // freed since the last frame
	cache    map[fyne.CanvasObject]*cached
	bg       color.Color
	full     bool // the next Finish repaints the whole frame
}

type item struct {
	obj    fyne.CanvasObject
	sprite sprite
	clip   image.Rectangle // sprite.rect's visible part: clipped, in the frame
	index  int             // in items (set by Finish)
}

type cached struct {
	key any
	img image.Image
}

// fullDamage is the share of the frame (in percent) beyond which Finish
// repaints all of it: one rectangle over most of the window costs less
// than many that cover it.
const fullDamage = 60

// maxRects is how many damaged rectangles a frame keeps apart; beyond
// it they are merged into their bounds.
const maxRects = 16

// NewFramePainter makes a painter for canvas c.
func NewFramePainter(c fyne.Canvas) *FramePainter {
	return &FramePainter{
		canvas: c, texScale: 1, full: true,
		prev: map[fyne.CanvasObject]item{}, freed: map[fyne.CanvasObject]bool{},
		cache: map[fyne.CanvasObject]*cached{},
	}
}

// Init does nothing: the painter needs no context.
func (p *FramePainter) Init() {}

// Frame is the last frame painted (opaque; its pixels are the window's).
func (p *FramePainter) Frame() *image.RGBA { return p.frame }

// Invalidate makes the next Finish repaint the whole frame.
func (p *FramePainter) Invalidate() { p.full = true }

// Capture is a copy of the last frame.
func (p *FramePainter) Capture(fyne.Canvas) image.Image {
	if p.frame == nil {
		return image.NewNRGBA(image.Rectangle{})
	}
	out := image.NewNRGBA(p.frame.Rect)
	copy(out.Pix, p.frame.Pix) // opaque: premultiplied or not is the same
	return out
}

// Clear starts a frame.
func (p *FramePainter) Clear() {
	p.items = p.items[:0]
	p.replaced = p.replaced[:0]
	p.clip = nil
	bg := opaque(theme.Color(theme.ColorNameBackground))
	if p.bg == nil || bg != p.bg {
		p.bg = bg
		p.full = true
	}
}

// Free marks obj's cached pixels stale (rendered again when next drawn,
// perhaps into the same buffer) and where it is as changed.
func (p *FramePainter) Free(obj fyne.CanvasObject) {
	if c, ok := p.cache[obj]; ok {
		c.key = stale{}
	}
	p.freed[obj] = true
}

// stale is the key of cached pixels that no sprite matches.
type stale struct{}

// Paint places obj (not its children) at pos in this frame.
func (p *FramePainter) Paint(obj fyne.CanvasObject, pos fyne.Position, _ fyne.Size) {
	if it, ok := p.itemFor(obj, pos); ok {
		p.items = append(p.items, it)
	}
}

// Replace stands for Clear and the walk in a frame whose only changes are
// the objects given to it (the walk's, in subtrees of the last frame's
// with the same objects): obj is placed at pos, clipped to clip (nil: not
// clipped), in the place it had in the last frame's order. False: it
// cannot be (painted in the last frame and nowhere now, or the other way
// round); the frame then needs Clear and the walk.
func (p *FramePainter) Replace(obj fyne.CanvasObject, pos fyne.Position, clip *internal.ClipItem) bool {
	old, painted := p.prev[obj]
	if painted && (old.index >= len(p.items) || p.items[old.index].obj != obj) {
		return false
	}
	p.clip = nil
	if clip != nil {
		p.StartClipping(clip.Rect())
	}
	it, ok := p.itemFor(obj, pos)
	p.clip = nil
	if !painted || !ok {
		return painted == ok // nowhere then, nowhere now (a container)
	}
	it.index = old.index
	p.replaced = append(p.replaced, it)
	return true
}

// itemFor is obj at pos as painted in this frame; false: nowhere.
func (p *FramePainter) itemFor(obj fyne.CanvasObject, pos fyne.Position) (item, bool) {
	if !obj.Visible() || p.frame == nil {
		return item{}, false
	}
	s, ok := spriteFor(p.pixelCanvas(), obj, pos)
	if !ok || s.rect.Empty() {
		return item{}, false
	}
	visible := s.rect.Intersect(p.frame.Rect)
	if p.clip != nil {
		visible = visible.Intersect(*p.clip)
	}
	if visible.Empty() {
		return item{}, false
	}
	return item{obj: obj, sprite: s, clip: visible}, true
}

// SetFrameBufferScale sets the framebuffer pixels per window pixel.
func (p *FramePainter) SetFrameBufferScale(scale float32) {
	if scale != p.texScale {
		p.texScale = scale
		p.full = true
	}
}

// SetOutputSize sets the frame's size in pixels.
func (p *FramePainter) SetOutputSize(width, height int) {
	if p.frame != nil && p.frame.Rect.Dx() == width && p.frame.Rect.Dy() == height {
		return
	}
	p.frame = image.NewRGBA(image.Rect(0, 0, width, height))
	p.full = true
}

// StartClipping clips what follows to the rectangle at pos of size.
func (p *FramePainter) StartClipping(pos fyne.Position, size fyne.Size) {
	c := p.pixelCanvas()
	r := image.Rect(scale.ToScreenCoordinate(c, pos.X), scale.ToScreenCoordinate(c, pos.Y),
		scale.ToScreenCoordinate(c, pos.X+size.Width), scale.ToScreenCoordinate(c, pos.Y+size.Height))
	p.clip = &r
}

// StopClipping ends clipping.
func (p *FramePainter) StopClipping() { p.clip = nil }

func (p *FramePainter) pixelCanvas() pixelCanvas {
	return pixelCanvas{Canvas: p.canvas, scale: p.canvas.Scale() * p.texScale}
}

// Finish draws what changed since the last frame into the frame and
// returns the rectangles it drew (none: the frame is unchanged).
func (p *FramePainter) Finish() []image.Rectangle {
	if p.frame == nil {
		return nil
	}
	var damage []image.Rectangle
	add := func(r image.Rectangle) {
		if !r.Empty() {
			damage = append(damage, r)
		}
	}
	if len(p.replaced) > 0 {
		// Replace's frame: the last frame's objects, some replaced.
		for _, it := range p.replaced {
			if !p.full {
				p.damage(p.prev[it.obj], true, it, add)
			}
			p.items[it.index] = it
			p.prev[it.obj] = it
		}
		p.replaced = p.replaced[:0]
	} else {
		cur := make(map[fyne.CanvasObject]item, len(p.items))
		for i := range p.items {
			p.items[i].index = i
			it := p.items[i]
			cur[it.obj] = it
			if !p.full {
				old, ok := p.prev[it.obj]
				p.damage(old, ok, it, add)
			}
		}
		if !p.full {
			for obj, old := range p.prev {
				if _, ok := cur[obj]; !ok {
					add(old.clip)
				}
			}
		}
		for obj := range p.cache {
			if _, ok := cur[obj]; !ok {
				delete(p.cache, obj)
			}
		}
		p.prev = cur
	}
	p.freed = map[fyne.CanvasObject]bool{}

	if p.full {
		damage = []image.Rectangle{p.frame.Rect}
		p.full = false
	} else {
		damage = coalesce(damage, p.frame.Rect)
	}
	for _, d := range damage {
		p.repaint(d)
	}
	return damage
}

// damage adds where it changed since the last frame (old; ok: it was
// painted in it).
func (p *FramePainter) damage(old item, ok bool, it item, add func(image.Rectangle)) {
	switch {
	case !ok:
		add(it.clip)
	case old.sprite.fill != nil && old.sprite.rect != it.sprite.rect && sameSprite(old.sprite, it.sprite):
		// A plain rectangle that moved or was resized: where it
		// was and is not, and where it is and was not.
		for _, r := range subtract(old.clip, it.clip) {
			add(r)
		}
		for _, r := range subtract(it.clip, old.clip) {
			add(r)
		}
	case old.sprite.rect != it.sprite.rect || old.clip != it.clip || !sameSprite(old.sprite, it.sprite):
		add(old.clip)
		add(it.clip)
	case p.freed[it.obj] && !it.sprite.complete:
		add(it.clip)
	}
}

// sameSprite: a plain rectangle kept its colour, an image its key.
func sameSprite(a, b sprite) bool {
	if (a.fill == nil) != (b.fill == nil) || a.alpha != b.alpha {
		return false
	}
	if a.fill != nil {
		return sameKey(a.fill, b.fill)
	}
	return sameKey(a.key, b.key)
}

// sameKey compares keys, which hold interfaces whose dynamic types may not
// be comparable: those are never the same.
func sameKey(a, b any) (same bool) {
	defer func() {
		if recover() != nil {
			same = false
		}
	}()
	return a == b
}

// repaint clears r to the background and draws the objects over it.
func (p *FramePainter) repaint(r image.Rectangle) {
	draw.Draw(p.frame, r, image.NewUniform(p.bg), image.Point{}, draw.Src)
	for _, it := range p.items {
		dst := it.clip.Intersect(r)
		if dst.Empty() {
			continue
		}
		s := it.sprite
		if s.fill != nil {
			draw.Draw(p.frame, dst, image.NewUniform(s.fill), image.Point{}, draw.Over)
			continue
		}
		img := p.rendered(it.obj, s)
		if img == nil {
			continue
		}
		src := img.Bounds().Min.Add(dst.Min.Sub(s.rect.Min))
		if o, ok := img.(opaqueImage); ok && s.alpha >= 1 {
			draw.Draw(p.frame, dst, o.RGBA, src, draw.Src)
		} else if _, ok := img.(*image.YCbCr); ok && s.alpha >= 1 {
			draw.Draw(p.frame, dst, img, src, draw.Src)
		} else if s.alpha >= 1 {
			draw.Draw(p.frame, dst, img, src, draw.Over)
		} else if s.alpha > 0 {
			mask := image.NewUniform(color.Alpha{A: uint8(s.alpha * 0xff)})
			draw.DrawMask(p.frame, dst, img, src, mask, image.Point{}, draw.Over)
		}
	}
}

// rendered is obj's pixels, from the cache while its key holds.
func (p *FramePainter) rendered(obj fyne.CanvasObject, s sprite) image.Image {
	c, ok := p.cache[obj]
	if ok && sameKey(c.key, s.key) {
		return c.img
	}
	if !ok {
		c = &cached{}
		p.cache[obj] = c
	}
	c.img = s.render(c.img)
	c.key = s.key
	return c.img
}

// coalesce merges overlapping rectangles of damage; more than maxRects, or
// more than fullDamage percent of frame, become their bounds or frame.
func coalesce(rects []image.Rectangle, frame image.Rectangle) []image.Rectangle {
	var out []image.Rectangle
	for _, r := range rects {
		r = r.Intersect(frame)
		if r.Empty() {
			continue
		}
		for merged := true; merged; {
			merged = false
			for i, o := range out {
				if o.Overlaps(r) || adjacent(o, r) {
					r = r.Union(o)
					out = append(out[:i], out[i+1:]...)
					merged = true
					break
				}
			}
		}
		out = append(out, r)
	}
	if len(out) > maxRects {
		u := image.Rectangle{}
		for _, r := range out {
			u = u.Union(r)
		}
		out = []image.Rectangle{u}
	}
	area := 0
	for _, r := range out {
		area += r.Dx() * r.Dy()
	}
	if area*100 > frame.Dx()*frame.Dy()*fullDamage {
		return []image.Rectangle{frame}
	}
	return out
}

// subtract is a minus b, in up to four rectangles.
func subtract(a, b image.Rectangle) []image.Rectangle {
	in := a.Intersect(b)
	if in.Empty() {
		return []image.Rectangle{a}
	}
	var out []image.Rectangle
	add := func(r image.Rectangle) {
		if !r.Empty() {
			out = append(out, r)
		}
	}
	add(image.Rect(a.Min.X, a.Min.Y, a.Max.X, in.Min.Y))   // above
	add(image.Rect(a.Min.X, in.Max.Y, a.Max.X, a.Max.Y))   // below
	add(image.Rect(a.Min.X, in.Min.Y, in.Min.X, in.Max.Y)) // left
	add(image.Rect(in.Max.X, in.Min.Y, a.Max.X, in.Max.Y)) // right
	return out
}

// adjacent: a and b share an edge along its whole length.
func adjacent(a, b image.Rectangle) bool {
	if a.Min.X == b.Min.X && a.Max.X == b.Max.X {
		return a.Max.Y == b.Min.Y || b.Max.Y == a.Min.Y
	}
	if a.Min.Y == b.Min.Y && a.Max.Y == b.Max.Y {
		return a.Max.X == b.Min.X || b.Max.X == a.Min.X
	}
	return false
}

// opaque is c over black: the frame has no transparency.
func opaque(c color.Color) color.Color {
	r, g, b, _ := c.RGBA() // premultiplied: over black as it is
	return color.RGBA64{uint16(r), uint16(g), uint16(b), 0xffff}
}
