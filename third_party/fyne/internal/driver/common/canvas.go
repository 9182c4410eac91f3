package common

import (
	"image/color"
	"reflect"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/internal"
	"fyne.io/fyne/v2/internal/app"
	"fyne.io/fyne/v2/internal/async"
	"fyne.io/fyne/v2/internal/cache"
	"fyne.io/fyne/v2/internal/driver"
	"fyne.io/fyne/v2/internal/painter/gl"
	"fyne.io/fyne/v2/internal/theme"
)

// SizeableCanvas defines a canvas with size related functions.
type SizeableCanvas interface {
	fyne.Canvas
	Resize(fyne.Size)
	MinSize() fyne.Size
}

// Canvas defines common canvas implementation.
type Canvas struct {
	OnFocus   func(obj fyne.Focusable)
	OnUnfocus func()

	impl SizeableCanvas

	contentFocusMgr *app.FocusManager
	menuFocusMgr    *app.FocusManager
	overlays        overlayStack

	shortcut fyne.ShortcutHandler

	painter gl.Painter

	// Any object that requests to enter to the refresh queue should
	// not be omitted as it is always a rendering task's decision
	// for skipping frames or drawing calls.
	//
	// If an object failed to ender the refresh queue, the object may
	// disappear or blink from the view at any frames. As of this reason,
	// the refreshQueue is an unbounded queue which is able to cache
	// arbitrary number of fyne.CanvasObject for the rendering.
	refreshQueue deduplicatedObjectQueue
	dirty        bool

	// What EnsureMinSize and FreeDirtyTextures take from refreshQueue
	// (either may drain it first): the objects EnsureMinSize has not
	// checked yet and those FreeDirtyTextures has not freed yet.
	refreshed, unfreed []fyne.CanvasObject
	// nodes is each object's node, as the walks of the trees found them
	// (made afresh by every pass that checks all objects).
	nodes map[fyne.CanvasObject]*RenderCacheNode
	// checkAll: the next EnsureMinSize checks every object (the trees
	// changed in a way the refreshed objects do not show); checkedAll is
	// when one last did.
	checkAll   bool
	checkedAll time.Time
	// pass numbers EnsureMinSize's passes (RenderCacheNode.checked);
	// walking says what the walk under way does with the nodes it meets.
	pass    uint64
	walking walkKind
	// scratch slices of EnsureMinSize's
	refreshedNodes, path []*RenderCacheNode
	// laidOut: this pass laid something out or resized it. changed: the
	// subtrees holding what changed, if this pass found nothing else
	// changed (ChangedObjects). treeChanged: a walk made or dropped a node.
	laidOut     bool
	changed     []*RenderCacheNode
	treeChanged bool
	// walked is when ChangedObjects last answered false (the frame walked).
	walked time.Time

	mWindowHeadTree, contentTree, menuTree *renderCacheTree
}

// AddShortcut adds a shortcut to the canvas.
func (c *Canvas) AddShortcut(shortcut fyne.Shortcut, handler func(shortcut fyne.Shortcut)) {
	c.shortcut.AddShortcut(shortcut, handler)
}

func (c *Canvas) DrawDebugOverlay(obj fyne.CanvasObject, pos fyne.Position, size fyne.Size) {
	switch obj.(type) {
	case fyne.Widget:
		r := canvas.NewRectangle(color.Transparent)
		r.StrokeColor = color.NRGBA{R: 0xcc, G: 0x33, B: 0x33, A: 0xff}
		r.StrokeWidth = 1
		r.Resize(obj.Size())
		c.Painter().Paint(r, pos, size)

		t := canvas.NewText(reflect.ValueOf(obj).Elem().Type().Name(), r.StrokeColor)
		t.TextSize = 10
		c.Painter().Paint(t, pos.AddXY(2, 2), size)
	case *fyne.Container:
		r := canvas.NewRectangle(color.Transparent)
		r.StrokeColor = color.NRGBA{R: 0x33, G: 0x33, B: 0xcc, A: 0xff}
		r.StrokeWidth = 1
		r.Resize(obj.Size())
		c.Painter().Paint(r, pos, size)
	}
}

// checkAllEvery is the longest EnsureMinSize goes without checking every
// object while it runs: that pass also keeps each object's entry in the
// cache of canvases alive (cache.SetCanvasForObject), which would expire
// after cache.ValidDuration.
const checkAllEvery = 10 * time.Second

// walkEvery is the longest ChangedObjects lets frames go without the walk
// of the trees: a change that reached no refresh (an object removed from a
// container without a Refresh, which moves nothing else; a field set
// without one), which Fyne paints at the next frame, is painted within
// it.
const walkEvery = time.Second

// walkKind is what a walk of the trees does with the nodes it meets.
type walkKind int

const (
	// walkOther (painting, keeping caches alive): a node it has to make
	// shows a change EnsureMinSize has not seen; the next checks all.
	walkOther walkKind = iota
	// walkAll: EnsureMinSize checks every object and indexes every node.
	walkAll
	// walkRefreshed: EnsureMinSize checks a refreshed object's subtree
	// and indexes the nodes it makes.
	walkRefreshed
	// walkChanged: ChangedObjects' walk of what changed: a node made or
	// dropped is a change EnsureMinSize has not seen, as with walkOther.
	walkChanged
)

// EnsureMinSize ensure canvas min size: an object whose MinSize changed
// has its parent laid out again, up to the window, which grows if the
// content no longer fits. It says whether the content's MinSize changed.
//
// Each pass checks the objects refreshed since the last (the refresh
// queue) with their subtrees, then their ancestors: the nearest widget
// holding the refreshed object (whose renderer made the refresh, and whose
// own MinSize may have changed with it) and every ancestor one of whose
// children's MinSize changed, laid out again first. A frame that only
// refreshes objects of the same size (a level meter, a timer) so costs
// those objects, not the whole tree. It checks every object (as Fyne does in every pass) when the trees
// changed otherwise: a refreshed object it has no node for (new, shown)
// or that is hidden or no longer in a tree, SetDirty (a move, a hide, an
// overlay, content, a resize, a theme, a scale), a node the painter's walk
// had to make, new trees, and at least every checkAllEvery.
//
// This function uses lock.
func (c *Canvas) EnsureMinSize() bool {
	if c.impl.Content() == nil {
		return false
	}
	c.drainRefreshQueue()
	c.pass++
	c.laidOut = false
	c.treeChanged = false
	c.changed = emptied(c.changed)
	csize := c.impl.Size()
	var windowNeedsMinSizeUpdate bool
	if nodes, ok := c.refreshedInTrees(); ok {
		changed := c.changed
		for _, n := range nodes {
			changed = append(changed, holder(n))
		}
		windowNeedsMinSizeUpdate = c.ensureMinSizeOf(nodes, csize)
		if c.laidOut || c.treeChanged {
			changed = emptied(changed)
		}
		c.changed = changed
	} else {
		windowNeedsMinSizeUpdate = c.ensureMinSizeAll(csize)
	}
	c.refreshed = emptied(c.refreshed)

	if windowNeedsMinSizeUpdate {
		min := c.impl.MinSize()
		if csize.Width < min.Width || csize.Height < min.Height {
			c.impl.Resize(csize.Max(min))
		}
	}
	return windowNeedsMinSizeUpdate
}

// PaintedObject is an object as the walk of the trees paints it: at Pos,
// clipped to Clip (nil: not clipped).
type PaintedObject struct {
	Obj  fyne.CanvasObject
	Pos  fyne.Position
	Clip *internal.ClipItem
}

// ChangedObjects is, for a frame whose only changes since the last are the
// objects refreshed since and nothing moved or changed size laying them
// out, the objects the refreshes may have changed, as the walk would paint
// them: what a painter that keeps its last frame needs to paint this one
// (repainting no other object). Those are the objects of the subtree of
// the nearest widget holding each refreshed object (its renderer's
// refresh may have changed its other objects too: a bar shown whose own
// refresh was lost, not being on the canvas yet), or of the refreshed
// object where no widget holds it. False: the frame needs the walk (also
// after a SetDirty, when one of those subtrees has an object more or
// fewer, after EnsureMinSize's pass checking every object, and once
// walkEvery has passed since the last walk, which also keeps the widgets'
// renderers in the cache). It answers once for each EnsureMinSize.
func (c *Canvas) ChangedObjects() ([]PaintedObject, bool) {
	roots := c.changed
	c.changed = nil
	defer func() { c.changed = emptied(roots) }()
	if len(roots) == 0 || c.checkAll || time.Since(c.walked) >= walkEvery || !c.inTrees(roots) {
		c.walked = time.Now()
		return nil, false
	}
	var out []PaintedObject
	c.treeChanged = false
	c.walking = walkChanged
	defer func() { c.walking = walkOther }()
	for i, root := range roots {
		if contains(roots[:i], root) || root.parent != nil && within(root.parent, roots) {
			continue // painted with a subtree holding it
		}
		offset, clips := c.placeOf(root.parent)
		c.walkNode(root, func(node *RenderCacheNode, pos fyne.Position) {
			pos = offset.Add(pos)
			if driver.IsClip(node.obj) {
				clips.Push(pos, node.obj.Size())
			}
			out = append(out, PaintedObject{Obj: node.obj, Pos: pos, Clip: clips.Top()})
		}, func(node *RenderCacheNode, _ fyne.Position) {
			if driver.IsClip(node.obj) {
				clips.Pop()
			}
		})
		if c.treeChanged {
			c.walked = time.Now()
			return nil, false
		}
	}
	return out, true
}

// placeOf is where node's children are painted: the position of node's
// own (0, 0) in the canvas and the clips of node and its ancestors.
func (c *Canvas) placeOf(node *RenderCacheNode) (fyne.Position, *internal.ClipStack) {
	path := c.path[:0]
	for p := node; p != nil; p = p.parent {
		path = append(path, p)
	}
	var pos fyne.Position
	clips := internal.ClipStack{}
	for i := len(path) - 1; i >= 0; i-- {
		obj := path[i].obj
		pos = pos.Add(obj.Position())
		if driver.IsClip(obj) {
			clips.Push(pos, obj.Size())
		}
	}
	c.path = emptied(path)
	return pos, &clips
}

// holder is the node of the nearest widget holding n (n's, if n is a
// widget), or n where none holds it.
func holder(n *RenderCacheNode) *RenderCacheNode {
	for p := n; p != nil; p = p.parent {
		if _, ok := p.obj.(fyne.Widget); ok {
			return p
		}
	}
	return n
}

// within: an ancestor of n, or n, is among nodes.
func within(n *RenderCacheNode, nodes []*RenderCacheNode) bool {
	for p := n; p != nil; p = p.parent {
		if contains(nodes, p) {
			return true
		}
	}
	return false
}

func contains(nodes []*RenderCacheNode, n *RenderCacheNode) bool {
	for _, o := range nodes {
		if o == n {
			return true
		}
	}
	return false
}

// inTrees says whether each node is still inTree.
func (c *Canvas) inTrees(nodes []*RenderCacheNode) bool {
	for _, n := range nodes {
		if !c.inTree(n) {
			return false
		}
	}
	return true
}

// CheckedAll is when EnsureMinSize last checked every object (and so kept
// their canvas cache entries alive).
func (c *Canvas) CheckedAll() time.Time {
	return c.checkedAll
}

// ensureMinSizeAll checks every object of every tree.
func (c *Canvas) ensureMinSizeAll(csize fyne.Size) (windowNeedsMinSizeUpdate bool) {
	c.nodes = make(map[fyne.CanvasObject]*RenderCacheNode, len(c.nodes))
	c.checkAll = false
	c.walking = walkAll
	c.WalkTrees(c.pushTheme, func(node *RenderCacheNode, _ fyne.Position) {
		if c.checkWalked(node, csize) {
			windowNeedsMinSizeUpdate = true
		}
	})
	c.walking = walkOther
	c.checkedAll = time.Now()
	return windowNeedsMinSizeUpdate
}

// ensureMinSizeOf checks the refreshed objects' nodes with their subtrees
// and the ancestors that may have changed with them.
func (c *Canvas) ensureMinSizeOf(nodes []*RenderCacheNode, csize fyne.Size) (windowNeedsMinSizeUpdate bool) {
	after := func(node *RenderCacheNode, _ fyne.Position) {
		if c.checkWalked(node, csize) {
			windowNeedsMinSizeUpdate = true
		}
	}
	for _, n := range nodes {
		if n.checked == c.pass {
			continue // in the subtree of one checked already
		}
		path := c.path[:0]
		for p := n.parent; p != nil; p = p.parent {
			path = append(path, p)
		}
		for i := len(path) - 1; i >= 0; i-- {
			c.pushTheme(path[i], fyne.Position{})
		}
		c.walking = walkRefreshed
		c.walkNode(n, c.pushTheme, after)
		c.walking = walkOther

		// Up: an ancestor whose child's MinSize changed is laid out
		// and checked; so is the nearest widget, whose renderer's
		// refresh this was. A container's MinSize is its layout's of
		// its children's: it changes only with theirs.
		_, widgetPassed := n.obj.(fyne.Widget)
		i := 0
		for ; i < len(path); i++ {
			p := path[i]
			_, isWidget := p.obj.(fyne.Widget)
			if !p.relayout && (widgetPassed || !isWidget) {
				if widgetPassed {
					break
				}
				c.popTheme(p)
				continue
			}
			if c.checkNode(p, csize) {
				windowNeedsMinSizeUpdate = true
			}
			widgetPassed = widgetPassed || isWidget
		}
		for ; i < len(path); i++ {
			c.popTheme(path[i])
		}
		c.path = emptied(path)
	}
	c.refreshedNodes = emptied(nodes)
	return windowNeedsMinSizeUpdate
}

// refreshedInTrees is the nodes of the refreshed objects, if this pass
// may check only them: false when it has to check every object.
func (c *Canvas) refreshedInTrees() ([]*RenderCacheNode, bool) {
	if c.checkAll || c.nodes == nil || time.Since(c.checkedAll) >= checkAllEvery || time.Since(c.checkedAll) >= cache.ValidDuration/2 {
		return nil, false
	}
	nodes := c.refreshedNodes[:0]
	for _, obj := range c.refreshed {
		n := c.nodes[obj]
		if n == nil || !c.inTree(n) {
			return nil, false
		}
		nodes = append(nodes, n)
	}
	c.refreshedNodes = nodes
	return nodes, true
}

// inTree says whether n is still in one of the trees, as the last walk
// left them, with n and its ancestors visible.
func (c *Canvas) inTree(n *RenderCacheNode) bool {
	for ; n.parent != nil; n = n.parent {
		if !n.obj.Visible() {
			return false
		}
		found := false
		for s := n.parent.firstChild; s != nil; s = s.nextSibling {
			if s == n {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	if !n.obj.Visible() {
		return false
	}
	for _, t := range []*renderCacheTree{c.contentTree, c.mWindowHeadTree, c.menuTree} {
		if t != nil && t.root == n {
			return true
		}
	}
	for _, t := range c.overlays.renderCaches {
		if t != nil && t.root == n {
			return true
		}
	}
	return false
}

// emptied is s made empty, its elements zeroed so that it holds nothing.
func emptied[T any](s []T) []T {
	var zero T
	for i := range s {
		s[i] = zero
	}
	return s[:0]
}

// pushTheme starts the theme of a theme override: the MinSize of what it
// holds, and its own, are measured with it.
func (c *Canvas) pushTheme(node *RenderCacheNode, _ fyne.Position) {
	if !node.obj.Visible() {
		return
	}
	if th, ok := node.Obj().(*container.ThemeOverride); ok {
		theme.PushRenderingTheme(th.Theme)
	}
}

// popTheme ends pushTheme's theme.
func (c *Canvas) popTheme(node *RenderCacheNode) {
	if !node.obj.Visible() {
		return
	}
	if _, ok := node.Obj().(*container.ThemeOverride); ok {
		theme.PopRenderingTheme()
	}
}

// checkWalked is checkNode for a node a walk of EnsureMinSize's meets
// (after its children), which also has its canvas set.
func (c *Canvas) checkWalked(node *RenderCacheNode, csize fyne.Size) bool {
	obj := node.obj
	cache.SetCanvasForObject(obj, c.impl, func() {
		if img, ok := obj.(*canvas.Image); ok {
			img.Refresh() // this may now have a different texScale
		}
	})
	return c.checkNode(node, csize)
}

// checkNode lays node out again if a child's MinSize changed and checks its
// own MinSize: when it changed, the parent is laid out again when checked
// (the window's content: resized or laid out now, and the result is
// true). It ends pushTheme's theme.
func (c *Canvas) checkNode(node *RenderCacheNode, csize fyne.Size) (windowNeedsMinSizeUpdate bool) {
	obj := node.obj
	node.checked = c.pass
	if node.relayout {
		node.relayout = false
		c.laidOut = true
		c.updateLayout(obj)
	}
	if !obj.Visible() {
		return false
	}
	minSize := obj.MinSize()
	if node.minSize != minSize {
		node.minSize = minSize
		if node.parent != nil {
			node.parent.relayout = true
		} else {
			windowNeedsMinSizeUpdate = true
			c.laidOut = true
			size := obj.Size()
			expectedSize := minSize.Max(size)
			if expectedSize != size && size != csize {
				obj.Resize(expectedSize)
			} else {
				c.updateLayout(obj)
			}
		}
	}
	c.popTheme(node)
	return windowNeedsMinSizeUpdate
}

// Focus makes the provided item focused.
func (c *Canvas) Focus(obj fyne.Focusable) {
	focusMgr := c.focusManager()
	if focusMgr != nil && focusMgr.Focus(obj) { // fast path – probably >99.9% of all cases
		if c.OnFocus != nil {
			c.OnFocus(obj)
		}
		return
	}

	focusMgrs := append([]*app.FocusManager{c.contentFocusMgr, c.menuFocusMgr}, c.overlays.ListFocusManagers()...)

	for _, mgr := range focusMgrs {
		if mgr == nil {
			continue
		}
		if focusMgr != mgr && mgr.Focus(obj) {
			if c.OnFocus != nil {
				c.OnFocus(obj)
			}
			return
		}
	}

	fyne.LogError("Failed to focus object which is not part of the canvas’ content, menu or overlays.", nil)
}

// Focused returns the current focused object.
func (c *Canvas) Focused() fyne.Focusable {
	mgr := c.focusManager()
	if mgr == nil {
		return nil
	}
	return mgr.Focused()
}

// FocusGained signals to the manager that its content got focus.
// Valid only on Desktop.
func (c *Canvas) FocusGained() {
	mgr := c.focusManager()
	if mgr == nil {
		return
	}
	mgr.FocusGained()
}

// FocusLost signals to the manager that its content lost focus.
// Valid only on Desktop.
func (c *Canvas) FocusLost() {
	mgr := c.focusManager()
	if mgr == nil {
		return
	}
	mgr.FocusLost()
}

// FocusNext focuses the next focusable item.
func (c *Canvas) FocusNext() {
	mgr := c.focusManager()
	if mgr == nil {
		return
	}
	mgr.FocusNext()
}

// FocusPrevious focuses the previous focusable item.
func (c *Canvas) FocusPrevious() {
	mgr := c.focusManager()
	if mgr == nil {
		return
	}
	mgr.FocusPrevious()
}

// FreeDirtyTextures frees dirty textures and returns the number of freed textures.
func (c *Canvas) FreeDirtyTextures() uint64 {
	if c.painter == nil {
		c.unfreed = emptied(c.unfreed) // drained by EnsureMinSize: nothing to free them from
		return 0
	}

	c.drainRefreshQueue()
	objectsToFree := uint64(len(c.unfreed))
	for _, object := range c.unfreed {
		c.freeObject(object)
	}
	c.unfreed = emptied(c.unfreed)

	cache.RangeExpiredTexturesFor(c.impl, c.painter.Free)
	return objectsToFree
}

// drainRefreshQueue moves the refresh queue's objects to those
// EnsureMinSize is to check and FreeDirtyTextures to free.
func (c *Canvas) drainRefreshQueue() {
	for object := c.refreshQueue.Out(); object != nil; object = c.refreshQueue.Out() {
		c.refreshed = append(c.refreshed, object)
		c.unfreed = append(c.unfreed, object)
	}
}

// Initialize initializes the canvas.
func (c *Canvas) Initialize(impl SizeableCanvas, onOverlayChanged func()) {
	c.impl = impl
	c.refreshQueue.queue = async.NewCanvasObjectQueue()
	c.overlays.OverlayStack = internal.OverlayStack{
		OnChange: func() {
			c.checkAll = true // a new tree, or one fewer
			if onOverlayChanged != nil {
				onOverlayChanged()
			}
		},
		Canvas: impl,
	}
}

// ObjectTrees return canvas object trees.
//
// This function uses lock.
func (c *Canvas) ObjectTrees() []fyne.CanvasObject {
	var content, menu fyne.CanvasObject
	if c.contentTree != nil && c.contentTree.root != nil {
		content = c.contentTree.root.obj
	}
	if c.menuTree != nil && c.menuTree.root != nil {
		menu = c.menuTree.root.obj
	}
	trees := make([]fyne.CanvasObject, 0, len(c.Overlays().List())+2)
	trees = append(trees, content)
	if menu != nil {
		trees = append(trees, menu)
	}
	trees = append(trees, c.Overlays().List()...)
	return trees
}

// Overlays returns the overlay stack.
func (c *Canvas) Overlays() fyne.OverlayStack {
	return &c.overlays
}

// Painter returns the canvas painter.
func (c *Canvas) Painter() gl.Painter {
	return c.painter
}

// Refresh refreshes a canvas object.
func (c *Canvas) Refresh(obj fyne.CanvasObject) {
	c.refreshQueue.In(obj)
	async.EnsureMain(c.setRefreshed)
}

// setRefreshed is SetDirty for a refresh: EnsureMinSize may check only the
// refreshed objects.
func (c *Canvas) setRefreshed() {
	c.dirty = true
}

// RemoveShortcut removes a shortcut from the canvas.
func (c *Canvas) RemoveShortcut(shortcut fyne.Shortcut) {
	c.shortcut.RemoveShortcut(shortcut)
}

// SetContentTreeAndFocusMgr sets content tree and focus manager.
//
// This function does not use the canvas lock.
func (c *Canvas) SetContentTreeAndFocusMgr(content fyne.CanvasObject) {
	c.contentTree = &renderCacheTree{root: &RenderCacheNode{obj: content}}
	c.checkAll = true

	newFocusMgr := app.NewFocusManager(content)
	if c.contentFocusMgr != nil {
		focused := c.contentFocusMgr.Focused()
		if focused != nil {
			newFocusMgr.Focus(focused) // Focus old object if possible.
		}
	}
	c.contentFocusMgr = newFocusMgr
}

// CheckDirtyAndClear returns true if the canvas is dirty and
// clears the dirty state atomically.
func (c *Canvas) CheckDirtyAndClear() bool {
	wasDirty := c.dirty
	c.dirty = false
	return wasDirty
}

// IsDirty reports whether the canvas is dirty, leaving the flag as it is.
func (c *Canvas) IsDirty() bool {
	return c.dirty
}

// SetDirty sets canvas dirty flag atomically. The next EnsureMinSize
// checks every object: what made the canvas dirty is not known.
func (c *Canvas) SetDirty() {
	c.dirty = true
	c.checkAll = true
}

// SetMenuTreeAndFocusMgr sets menu tree and focus manager.
//
// This function does not use the canvas lock.
func (c *Canvas) SetMenuTreeAndFocusMgr(menu fyne.CanvasObject) {
	c.menuTree = &renderCacheTree{root: &RenderCacheNode{obj: menu}}
	c.checkAll = true
	if menu != nil {
		c.menuFocusMgr = app.NewFocusManager(menu)
	} else {
		c.menuFocusMgr = nil
	}
}

// SetMobileWindowHeadTree sets window head tree.
//
// This function does not use the canvas lock.
func (c *Canvas) SetMobileWindowHeadTree(head fyne.CanvasObject) {
	c.mWindowHeadTree = &renderCacheTree{root: &RenderCacheNode{obj: head}}
	c.checkAll = true
}

// SetPainter sets the canvas painter.
func (c *Canvas) SetPainter(p gl.Painter) {
	c.painter = p
}

// TypedShortcut handle the registered shortcut.
func (c *Canvas) TypedShortcut(shortcut fyne.Shortcut) {
	c.shortcut.TypedShortcut(shortcut)
}

// Unfocus unfocuses all the objects in the canvas.
func (c *Canvas) Unfocus() {
	mgr := c.focusManager()
	if mgr == nil {
		return
	}
	if mgr.Focus(nil) && c.OnUnfocus != nil {
		c.OnUnfocus()
	}
}

// WalkTrees walks over the trees.
func (c *Canvas) WalkTrees(
	beforeChildren func(*RenderCacheNode, fyne.Position),
	afterChildren func(*RenderCacheNode, fyne.Position),
) {
	c.walkTree(c.contentTree, beforeChildren, afterChildren)
	if c.mWindowHeadTree != nil && c.mWindowHeadTree.root.obj != nil {
		c.walkTree(c.mWindowHeadTree, beforeChildren, afterChildren)
	}
	if c.menuTree != nil && c.menuTree.root.obj != nil {
		c.walkTree(c.menuTree, beforeChildren, afterChildren)
	}
	for _, tree := range c.overlays.renderCaches {
		if tree != nil {
			c.walkTree(tree, beforeChildren, afterChildren)
		}
	}
}

func (c *Canvas) focusManager() *app.FocusManager {
	if focusMgr := c.overlays.TopFocusManager(); focusMgr != nil {
		return focusMgr
	}
	if c.isMenuActive() {
		return c.menuFocusMgr
	}
	return c.contentFocusMgr
}

func (c *Canvas) freeObject(object fyne.CanvasObject) {
	// Image.Refresh will trigger a refresh specific to the object,
	// while recursing on parent widget would just lead to a double texture upload.
	if img, ok := object.(*canvas.Image); ok {
		c.painter.Free(img)
		return
	}

	driver.WalkCompleteObjectTree(object, func(obj fyne.CanvasObject, _ fyne.Position, _ fyne.Position, _ fyne.Size) bool {
		if _, ok := obj.(*canvas.Image); !ok { // No image refresh while recursing to avoid double texture upload.
			c.painter.Free(obj)
		}
		return false
	}, nil)
}

func (c *Canvas) isMenuActive() bool {
	if c.menuTree == nil || c.menuTree.root == nil || c.menuTree.root.obj == nil {
		return false
	}
	menu := c.menuTree.root.obj
	if am, ok := menu.(activatableMenu); ok {
		return am.IsActive()
	}
	return true
}

func (c *Canvas) walkTree(
	tree *renderCacheTree,
	beforeChildren func(*RenderCacheNode, fyne.Position),
	afterChildren func(*RenderCacheNode, fyne.Position),
) {
	c.walkNode(tree.root, beforeChildren, afterChildren)
}

// walkNode walks the visible objects from root's down (root a tree's root
// or a node in one), making nodes for the objects that have none where
// they are and dropping the nodes of objects no longer there; pos is
// relative to root's parent.
func (c *Canvas) walkNode(
	root *RenderCacheNode,
	beforeChildren func(*RenderCacheNode, fyne.Position),
	afterChildren func(*RenderCacheNode, fyne.Position),
) {
	var node, parent, prev *RenderCacheNode
	node = root

	bc := func(obj fyne.CanvasObject, pos fyne.Position, _ fyne.Position, _ fyne.Size) bool {
		if node != nil && node.obj != obj {
			if parent.firstChild == node {
				parent.firstChild = nil
			}
			node = nil
			c.nodeDropped()
		}
		if node == nil {
			node = &RenderCacheNode{parent: parent, obj: obj}
			if parent.firstChild == nil {
				parent.firstChild = node
			} else {
				prev.nextSibling = node
			}
			c.treeChanged = true
			if c.walking == walkOther || c.walking == walkChanged {
				c.checkAll = true
			}
			if c.nodes != nil {
				c.nodes[obj] = node
			}
		} else if c.walking == walkAll {
			c.nodes[obj] = node
		}
		if prev != nil && prev.parent != parent {
			prev = nil
		}

		if beforeChildren != nil {
			beforeChildren(node, pos)
		}

		parent = node
		node = parent.firstChild
		return false
	}
	ac := func(obj fyne.CanvasObject, pos fyne.Position, _ fyne.CanvasObject) {
		node = parent
		parent = node.parent
		if node.firstChild != nil && (prev == nil || prev.parent != node) {
			// None of node's children was visited: it has none now (a
			// container emptied, a renderer showing nothing, its one
			// child hidden), so its old children's nodes go.
			node.firstChild = nil
			c.nodeDropped()
		}
		if prev != nil && prev.parent != parent {
			if prev.nextSibling != nil {
				c.nodeDropped()
			}
			prev.nextSibling = nil
		}

		if afterChildren != nil {
			afterChildren(node, pos)
		}

		prev = node
		node = node.nextSibling
	}
	driver.WalkVisibleObjectTree(root.obj, bc, ac)
}

// nodeDropped: a walk dropped the nodes of objects no longer where they
// were. Outside EnsureMinSize's walks the next checks every object: the
// container they left may now have another MinSize.
func (c *Canvas) nodeDropped() {
	c.treeChanged = true
	if c.walking == walkOther || c.walking == walkChanged {
		c.checkAll = true
	}
}

type activatableMenu interface {
	IsActive() bool
}

func (c *Canvas) updateLayout(objToLayout fyne.CanvasObject) {
	switch cont := objToLayout.(type) {
	case *fyne.Container:
		if cont.Layout != nil {
			layout := cont.Layout
			objects := cont.Objects
			layout.Layout(objects, cont.Size())
		}
	case fyne.Widget:
		renderer := cache.Renderer(cont)
		renderer.Layout(cont.Size())
	}
}
