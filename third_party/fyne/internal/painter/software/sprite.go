package software

import (
	"image"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/internal/painter"
	"fyne.io/fyne/v2/internal/scale"
	"fyne.io/fyne/v2/theme"

	"golang.org/x/image/draw"
)

// A sprite is how one canvas object appears in a frame: a uniform colour
// over rect, or an image (rendered by render, cached by the caller under
// key) whose bounds' minimum lands at rect.Min.
type sprite struct {
	rect  image.Rectangle
	fill  color.Color // a plain rectangle: no image
	alpha float64
	key   any // what the image depends on besides the object's identity
	// render makes the image; old is the object's previous one, if any,
	// which it may reuse (a video picture's buffer).
	render func(old image.Image) image.Image
	// complete: fill, rect and key say all the object's pixels depend on,
	// so a freed object whose sprite is unchanged looks the same.
	complete bool
}

// pixelCanvas is a canvas whose Scale is the frame's pixels per Fyne unit
// (the canvas scale times the framebuffer scale).
type pixelCanvas struct {
	fyne.Canvas
	scale float32
}

func (c pixelCanvas) Scale() float32 { return c.scale }

type vectorKey struct {
	w, h  int
	scale float32
}

// spriteFor places obj, at pos in canvas c, in the frame; ok is false for
// objects that paint nothing.
func spriteFor(c fyne.Canvas, obj fyne.CanvasObject, pos fyne.Position) (s sprite, ok bool) {
	round := func(in float32) float32 { return float32(math.Round(float64(in) * float64(c.Scale()))) }
	vector := func(size fyne.Size, render func(pad float32) image.Image) sprite {
		pad := painter.VectorPad(obj)
		x, y := scale.ToScreenCoordinate(c, pos.X-pad), scale.ToScreenCoordinate(c, pos.Y-pad)
		w, h := scale.ToScreenCoordinate(c, size.Width+pad*2), scale.ToScreenCoordinate(c, size.Height+pad*2)
		return sprite{
			rect: image.Rect(x, y, x+w, y+h), alpha: 1,
			key:    vectorKey{w, h, c.Scale()},
			render: func(image.Image) image.Image { return render(pad) },
		}
	}
	switch o := obj.(type) {
	case *canvas.Rectangle:
		return rectangleSprite(c, o, pos, round)
	case *canvas.Circle:
		return vector(o.Size(), func(pad float32) image.Image { return painter.DrawCircle(o, pad, round) }), true
	case *canvas.Line:
		return vector(o.Size(), func(pad float32) image.Image { return painter.DrawLine(o, pad, round) }), true
	case *canvas.Polygon:
		return vector(o.Size(), func(pad float32) image.Image { return painter.DrawPolygon(o, pad, round) }), true
	case *canvas.Arc:
		return vector(o.Size(), func(pad float32) image.Image { return painter.DrawArc(o, pad, round) }), true
	case *canvas.Text:
		return textSprite(c, o, pos), true
	case *canvas.Image:
		return imageSprite(c, o, pos)
	case *canvas.Raster:
		return rasterSprite(c, o, pos)
	case gradient:
		w, h := scale.ToScreenCoordinate(c, o.Size().Width), scale.ToScreenCoordinate(c, o.Size().Height)
		x, y := scale.ToScreenCoordinate(c, pos.X), scale.ToScreenCoordinate(c, pos.Y)
		return sprite{rect: image.Rect(x, y, x+w, y+h), alpha: 1, key: vectorKey{w, h, c.Scale()},
			render: func(image.Image) image.Image { return o.Generate(w, h) }}, true
	}
	return sprite{}, false
}

func rectangleSprite(c fyne.Canvas, rect *canvas.Rectangle, pos fyne.Position, round func(float32) float32) (sprite, bool) {
	width, height := rect.Size().Components()
	if rect.Aspect != 0 && height != 0 {
		frameAspect := width / height
		xPad, yPad := float32(0), float32(0)
		if frameAspect > rect.Aspect {
			newWidth := height * rect.Aspect
			xPad = (width - newWidth) / 2
			width = newWidth
		} else if frameAspect < rect.Aspect {
			newHeight := width / rect.Aspect
			yPad = (height - newHeight) / 2
			height = newHeight
		}
		pos = pos.AddXY(xPad, yPad)
	}
	radius := painter.GetCornerRadius(rect.TopRightCornerRadius, rect.CornerRadius) != 0 ||
		painter.GetCornerRadius(rect.TopLeftCornerRadius, rect.CornerRadius) != 0 ||
		painter.GetCornerRadius(rect.BottomRightCornerRadius, rect.CornerRadius) != 0 ||
		painter.GetCornerRadius(rect.BottomLeftCornerRadius, rect.CornerRadius) != 0
	if (rect.StrokeColor != nil && rect.StrokeWidth > 0) || radius {
		pad := painter.VectorPad(rect)
		x, y := scale.ToScreenCoordinate(c, pos.X-pad), scale.ToScreenCoordinate(c, pos.Y-pad)
		w, h := scale.ToScreenCoordinate(c, width+pad*2), scale.ToScreenCoordinate(c, height+pad*2)
		return sprite{
			rect: image.Rect(x, y, x+w, y+h), alpha: 1, key: vectorKey{w, h, c.Scale()},
			render: func(image.Image) image.Image { return painter.DrawRectangle(rect, width, height, pad, round) },
		}, true
	}
	if rect.FillColor == nil {
		return sprite{}, false
	}
	if _, _, _, a := rect.FillColor.RGBA(); a == 0 {
		return sprite{}, false
	}
	x, y := scale.ToScreenCoordinate(c, pos.X), scale.ToScreenCoordinate(c, pos.Y)
	w, h := scale.ToScreenCoordinate(c, width), scale.ToScreenCoordinate(c, height)
	return sprite{rect: image.Rect(x, y, x+w, y+h), fill: rect.FillColor, alpha: 1, complete: true}, true
}

type textKey struct {
	text  string
	col   color.Color
	size  float32
	style fyne.TextStyle
	font  fyne.Resource
	w, h  int
	scale float32
}

func textSprite(c fyne.Canvas, text *canvas.Text, pos fyne.Position) sprite {
	bounds := text.MinSize()
	width := scale.ToScreenCoordinate(c, bounds.Width+painter.VectorPad(text))
	height := scale.ToScreenCoordinate(c, bounds.Height)
	col := text.Color
	if col == nil {
		col = theme.Color(theme.ColorNameForeground)
	}
	size := text.Size()
	offsetX, offsetY := float32(0), float32(0)
	switch text.Alignment {
	case fyne.TextAlignTrailing:
		offsetX = size.Width - bounds.Width
	case fyne.TextAlignCenter:
		offsetX = (size.Width - bounds.Width) / 2
	}
	if size.Height > bounds.Height {
		offsetY = (size.Height - bounds.Height) / 2
	}
	x, y := scale.ToScreenCoordinate(c, pos.X+offsetX), scale.ToScreenCoordinate(c, pos.Y+offsetY)
	return sprite{
		rect: image.Rect(x, y, x+width, y+height), alpha: 1, complete: true,
		key: textKey{text.Text, col, text.TextSize, text.TextStyle, text.FontSource, width, height, c.Scale()},
		render: func(image.Image) image.Image {
			img := image.NewRGBA(image.Rect(0, 0, width, height))
			face := painter.CachedFontFace(text.TextStyle, text.FontSource, text)
			painter.DrawString(img, text.Text, col, face.Fonts, text.TextSize, c.Scale(), text.TextStyle)
			return img
		},
	}
}

type imageKey struct {
	src      image.Image
	w, h     int
	fill     canvas.ImageFill
	mode     canvas.ImageScale
	radius   float32
	resource fyne.Resource
	file     string
}

func imageSprite(c fyne.Canvas, img *canvas.Image, pos fyne.Position) (sprite, bool) {
	bounds := img.Size()
	if bounds.IsZero() {
		return sprite{}, false
	}
	width, height := scale.ToScreenCoordinate(c, bounds.Width), scale.ToScreenCoordinate(c, bounds.Height)
	x, y := scale.ToScreenCoordinate(c, pos.X), scale.ToScreenCoordinate(c, pos.Y)
	if width <= 0 || height <= 0 {
		return sprite{}, false
	}
	// Contain: the picture keeps its aspect, centred.
	if img.FillMode == canvas.ImageFillContain {
		imgAspect := img.Aspect()
		objAspect := float32(width) / float32(height)
		if objAspect > imgAspect && imgAspect > 0 {
			newWidth := int(float32(height) * imgAspect)
			x += (width - newWidth) / 2
			width = newWidth
		} else if objAspect < imgAspect {
			newHeight := int(float32(width) / imgAspect)
			y += (height - newHeight) / 2
			height = newHeight
		}
	}
	radius := fyne.Min(painter.GetMaximumRadius(bounds), img.CornerRadius) * c.Scale()
	return sprite{
		rect: image.Rect(x, y, x+width, y+height), alpha: img.Alpha(),
		key: imageKey{img.Image, width, height, img.FillMode, img.ScaleMode, radius, img.Resource, img.File},
		render: func(old image.Image) image.Image {
			src := img.Image
			if img.FillMode != canvas.ImageFillCover {
				src = painter.PaintImage(img, c, width, height)
			} else if src != nil {
				src = coverCrop(img, src, width, height)
			}
			if src == nil {
				return image.NewNRGBA(image.Rect(0, 0, width, height))
			}
			return scaledPixels(src, width, height, img.ScaleMode, radius, old)
		},
	}, true
}

// coverCrop is the part of src that an ImageFillCover image of w×h shows.
func coverCrop(img *canvas.Image, src image.Image, width, height int) image.Image {
	inner := src.Bounds()
	imgAspect := img.Aspect()
	objAspect := float32(width) / float32(height)
	if objAspect > imgAspect {
		newHeight := float32(width) / imgAspect
		pixPad := int(((newHeight - float32(height)) / 2 / newHeight) * float32(inner.Dy()))
		inner = image.Rect(inner.Min.X, inner.Min.Y+pixPad, inner.Max.X, inner.Max.Y-pixPad)
	} else if objAspect < imgAspect {
		newWidth := float32(height) * imgAspect
		pixPad := int(((newWidth - float32(width)) / 2 / newWidth) * float32(inner.Dx()))
		inner = image.Rect(inner.Min.X+pixPad, inner.Min.Y, inner.Max.X-pixPad, inner.Max.Y)
	}
	if sub, ok := src.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		return sub.SubImage(inner)
	}
	cropped := image.NewRGBA(inner)
	draw.Copy(cropped, inner.Min, src, inner, draw.Src, nil)
	return cropped
}

// opaqueImage is an image known to have no transparent pixel, which the
// painter copies instead of blending.
type opaqueImage struct{ *image.RGBA }

// scaledPixels is src at w×h (by mode), its corners rounded by radius; old
// is a previous result it may reuse.
func scaledPixels(src image.Image, width, height int, mode canvas.ImageScale, radius float32, old image.Image) image.Image {
	if src.Bounds().Dx() == width && src.Bounds().Dy() == height && radius < 0.5 {
		return src
	}

	if y, ok := src.(*image.YCbCr); ok && radius <= 0.5 && mode != canvas.ImageScalePixels &&
		y.SubsampleRatio == image.YCbCrSubsampleRatio420 && y.Rect.Dx() > 1 && y.Rect.Dy() > 1 {
		dst, ok := old.(opaqueImage)
		if !ok || dst.Rect != image.Rect(0, 0, width, height) {
			dst = opaqueImage{image.NewRGBA(image.Rect(0, 0, width, height))}
		}
		scaleYCbCr420(dst.RGBA, y)
		return dst
	}
	var scaled draw.Image
	if radius > 0.5 {
		scaled = image.NewNRGBA(image.Rect(0, 0, width, height))
	} else {
		// x/image/draw scales into RGBA from the common source types
		// (YCbCr video, RGBA, NRGBA) without going through color.Color.
		scaled = image.NewRGBA(image.Rect(0, 0, width, height))
	}
	switch mode {
	case canvas.ImageScalePixels:
		draw.NearestNeighbor.Scale(scaled, scaled.Bounds(), src, src.Bounds(), draw.Src, nil)
	case canvas.ImageScaleFastest:
		draw.ApproxBiLinear.Scale(scaled, scaled.Bounds(), src, src.Bounds(), draw.Src, nil)
	default:
		draw.CatmullRom.Scale(scaled, scaled.Bounds(), src, src.Bounds(), draw.Src, nil)
	}
	if n, ok := scaled.(*image.NRGBA); ok {
		applyRoundedCorners(n, width, height, radius)
	} else if _, ok := src.(*image.YCbCr); ok {
		return opaqueImage{scaled.(*image.RGBA)}
	}
	return scaled
}

func rasterSprite(c fyne.Canvas, rast *canvas.Raster, pos fyne.Position) (sprite, bool) {
	bounds := rast.Size()
	if bounds.IsZero() {
		return sprite{}, false
	}
	width, height := scale.ToScreenCoordinate(c, bounds.Width), scale.ToScreenCoordinate(c, bounds.Height)
	x, y := scale.ToScreenCoordinate(c, pos.X), scale.ToScreenCoordinate(c, pos.Y)
	return sprite{
		rect: image.Rect(x, y, x+width, y+height), alpha: 1, key: vectorKey{width, height, c.Scale()},
		render: func(image.Image) image.Image {
			pix := rast.Generator(width, height)
			if pix.Bounds().Dx() != width || pix.Bounds().Dy() != height {
				return scaledPixels(pix, width, height, rast.ScaleMode, 0, nil)
			}
			return pix
		},
	}, true
}
