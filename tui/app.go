package tui

import (
	"fmt"
	"sync"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/tui/frames"
	"github.com/sessionscope/sscope/tui/keymap"
	"github.com/sessionscope/sscope/tui/model"
)

// Options configure the UI.
type Options struct {
	// Screen is where to draw; nil is the terminal.
	Screen tcell.Screen
	// Keys is the key map; nil is keymap.Default().
	Keys *keymap.Map
	// KeyFile names the key file in the help screen.
	KeyFile string
	// NoColor draws without colour (NO_COLOR).
	NoColor bool
	// ShowSecrets shows hidden RADIUS attributes in frame views.
	ShowSecrets bool
	// RADIUSPorts are the UDP ports read as RADIUS in frame views; nil is
	// correlate.DefaultRADIUSPorts.
	RADIUSPorts []uint16
}

// Page names.
const (
	pageMain     = "main"
	pageFindings = "findings"
	pageHelp     = "help"
)

// Timings of the update loop.
const (
	tickEvery   = 100 * time.Millisecond
	slowEvery   = time.Second
	messageLife = 8 * time.Second
	// prefetchAround is how many timeline events on each side of the
	// selected one have their frames read together with it.
	prefetchAround = 128
)

// App is the terminal UI: the one place that knows the whole screen.
type App struct {
	app    *tview.Application
	opts   Options
	theme  *theme
	keys   *keymap.Map
	src    Source
	inputs Inputs
	feed   *Feed
	store  *model.Store
	filter model.Filter
	frames *frames.Store
	loader *loader
	fdesc  frames.DescribeOptions

	sessions      *sessionsView
	timeline      *timelineView
	summary       *summaryView
	fields        *fieldsView
	hex           *hexView
	findings      *findingsView
	findingDetail *findingDetailView
	help          *helpView
	status        *statusBar
	prompt        *tview.InputField

	root      *tview.Flex
	pages     *tview.Pages
	mainFlex  *tview.Flex
	top       *tview.Flex
	bottom    *tview.Pages
	eventFlex *tview.Flex
	line      *tview.Pages

	page       string
	helpReturn string
	helpFocus  tview.Primitive
	lastMain   view
	lastFind   view

	current  *model.Entry
	loaded   map[uint64]frames.Frame
	loading  map[uint64]bool
	frameErr map[uint64]error

	progress *Progress
	final    *Final
	done     bool
	live     LiveStats
	hasLive  bool

	message    string
	messageErr bool
	messageAt  time.Time

	promptKind rune // ':' or '/'
	promptPrev model.Filter
	promptBack tview.Primitive

	// posted are functions waiting to run on the UI's goroutine; wake is
	// the event that makes the UI run them (see post).
	postMu     sync.Mutex
	posted     []func()
	wakeQueued bool
	wake       *tcell.EventKey

	stopOnce sync.Once
	stopped  chan struct{}
}

// New builds the UI over a source. Run starts it.
func New(src Source, o Options) *App {
	a := &App{
		app:     tview.NewApplication(),
		opts:    o,
		theme:   newTheme(o.NoColor),
		keys:    o.Keys,
		src:     src,
		inputs:  src.Describe(),
		feed:    &Feed{},
		store:   model.NewStore(),
		page:    pageMain,
		loaded:  map[uint64]frames.Frame{},
		loading: map[uint64]bool{},
		stopped: make(chan struct{}),
		wake:    tcell.NewEventKey(tcell.KeyF64, 0, tcell.ModCtrl|tcell.ModAlt|tcell.ModMeta|tcell.ModHyper),
	}
	if a.keys == nil {
		a.keys = keymap.Default()
	}
	if a.opts.KeyFile == "" {
		a.opts.KeyFile = keymap.DefaultPath()
	}
	ports := o.RADIUSPorts
	if ports == nil {
		ports = correlate.DefaultRADIUSPorts
	}
	a.fdesc = frames.DescribeOptions{RADIUSPorts: ports, ShowSecrets: o.ShowSecrets}
	a.theme.applyTview()
	a.frames = frames.NewStore(a.inputs.Files)
	a.loader = newLoader(a.frames, a.post)
	a.build()
	if o.Screen != nil {
		a.app.SetScreen(o.Screen)
	}
	a.app.EnableMouse(true)
	a.app.SetInputCapture(a.onKey)
	a.app.SetBeforeDrawFunc(func(screen tcell.Screen) bool {
		w, _ := screen.Size()
		a.layout(w)
		return false
	})
	a.updateStatus()
	return a
}

// build makes the views and the layout.
func (a *App) build() {
	t := a.theme
	a.sessions = newSessionsView(t)
	a.timeline = newTimelineView(t)
	a.summary = newSummaryView(t)
	a.fields = newFieldsView(t)
	a.hex = newHexView(t)
	a.findings = newFindingsView(t)
	a.findingDetail = newFindingDetailView(t)
	a.help = newHelpView(t)
	a.status = newStatusBar(t)

	a.summary.SetTitle(" Session ")
	a.fields.SetTitle(" Event ")
	a.hex.SetTitle(" Frame ")
	a.findingDetail.SetTitle(" Finding ")
	a.timeline.SetTitle(" Timeline ")

	a.sessions.selected = a.showSession
	a.sessions.open = func() { a.focus(a.timeline) }
	a.sessions.back = a.clearFilter
	a.summary.back = func() { a.focus(a.sessions) }
	a.timeline.selected = func(*report.Event) { a.showEvent() }
	a.timeline.open = func() { a.focus(a.fields) }
	a.timeline.back = func() { a.focus(a.sessions) }
	a.fields.open = func() { a.focus(a.hex) }
	a.fields.back = func() { a.focus(a.timeline) }
	a.hex.back = func() { a.focus(a.fields) }
	a.findings.selected = func(r *model.FindingRef) { a.findingDetail.setLines(findingDetail(t, r)) }
	a.findings.open = a.openFinding
	a.findings.back = func() { a.showPage(pageMain) }
	a.findingDetail.back = func() { a.focus(a.findings) }
	a.help.close = a.closeHelp

	for _, v := range a.allViews() {
		v := v
		switch p := v.(type) {
		case *sessionsView:
			p.focused = func() { a.focusChanged(v) }
		case *timelineView:
			p.focused = func() { a.focusChanged(v) }
		case *findingsView:
			p.focused = func() { a.focusChanged(v) }
		case *summaryView:
			p.focused = func() { a.focusChanged(v) }
		case *fieldsView:
			p.focused = func() { a.focusChanged(v) }
		case *hexView:
			p.focused = func() { a.focusChanged(v) }
		case *findingDetailView:
			p.focused = func() { a.focusChanged(v) }
		}
	}

	a.prompt = tview.NewInputField()
	a.prompt.SetLabelStyle(t.key)
	a.prompt.SetFieldStyle(t.normal)
	a.prompt.SetBackgroundColor(tcell.ColorDefault)
	a.prompt.SetDoneFunc(a.promptDone)
	a.prompt.SetChangedFunc(a.promptChanged)

	a.top = tview.NewFlex().SetDirection(tview.FlexColumn).
		AddItem(a.sessions, 0, 2, true).
		AddItem(a.timeline, 0, 1, false)
	a.eventFlex = tview.NewFlex().SetDirection(tview.FlexColumn).
		AddItem(a.fields, 0, 1, false).
		AddItem(a.hex, 41, 0, false)
	a.bottom = tview.NewPages().
		AddPage("summary", a.summary, true, true).
		AddPage("event", a.eventFlex, true, false)
	a.mainFlex = tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(a.top, 0, 3, true).
		AddItem(a.bottom, 0, 2, false)
	findFlex := tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(a.findings, 0, 3, true).
		AddItem(a.findingDetail, 0, 2, false)
	a.pages = tview.NewPages().
		AddPage(pageMain, a.mainFlex, true, true).
		AddPage(pageFindings, findFlex, true, false).
		AddPage(pageHelp, a.help, true, false)
	a.line = tview.NewPages().
		AddPage("status", a.status, true, true).
		AddPage("prompt", a.prompt, true, false)
	a.root = tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(a.pages, 0, 1, true).
		AddItem(a.line, 1, 0, false)
	a.app.SetRoot(a.root, true)
	a.lastMain, a.lastFind = a.sessions, a.findings
	a.app.SetFocus(a.sessions)
	a.refreshSessions()
}

func (a *App) allViews() []view {
	return []view{a.sessions, a.summary, a.timeline, a.fields, a.hex, a.findings, a.findingDetail}
}

// mainCycle is the order Tab visits the panes of the main page.
func (a *App) mainCycle() []view { return []view{a.sessions, a.summary, a.timeline, a.fields, a.hex} }

func (a *App) findCycle() []view { return []view{a.findings, a.findingDetail} }

// Run runs the UI until the user quits. The source runs alongside.
func (a *App) Run() error {
	go a.src.Run(a.feed)
	go a.tick()
	err := a.app.Run()
	a.Stop()
	a.frames.Close()
	return err
}

// Stop ends the UI; Run returns.
func (a *App) Stop() {
	a.stopOnce.Do(func() {
		close(a.stopped)
		a.loader.close()
		a.app.Stop()
	})
}

// tick takes what the source delivered a few times a second.
func (a *App) tick() {
	t := time.NewTicker(tickEvery)
	defer t.Stop()
	lastSlow := time.Now()
	for {
		select {
		case <-a.stopped:
			return
		case now := <-t.C:
			a.feed.mu.Lock()
			news := len(a.feed.sessions) > 0 || a.feed.progress != nil || a.feed.final != nil
			a.feed.mu.Unlock()
			// Once a second regardless: live counters, messages that
			// expire.
			slow := now.Sub(lastSlow) >= slowEvery
			if slow {
				lastSlow = now
			}
			if news || slow {
				a.post(a.drain)
			}
		}
	}
}

// post runs f on the UI's goroutine, then redraws. It never blocks for
// long: functions wait in a list and one wake-up event per batch goes
// through the event queue (tview's QueueUpdate would block until f ran,
// forever once the UI has stopped).
func (a *App) post(f func()) {
	a.postMu.Lock()
	a.posted = append(a.posted, f)
	wake := !a.wakeQueued
	a.wakeQueued = true
	a.postMu.Unlock()
	if !wake {
		return
	}
	select {
	case <-a.stopped:
	default:
		a.app.QueueEvent(a.wake)
	}
}

// runPosted runs what was posted (on the UI's goroutine).
func (a *App) runPosted() {
	a.postMu.Lock()
	fs := a.posted
	a.posted, a.wakeQueued = nil, false
	a.postMu.Unlock()
	for _, f := range fs {
		f()
	}
}

// drain applies what arrived (on the UI goroutine).
func (a *App) drain() {
	ss, p, fin := a.feed.take()
	for _, s := range ss {
		a.store.Add(s)
	}
	if p != nil {
		a.progress = p
	}
	if ls, ok := a.feed.liveStats(); ok {
		a.live, a.hasLive = ls, true
	}
	if fin != nil {
		a.finish(fin)
	}
	if len(ss) > 0 || fin != nil {
		a.refreshSessions()
	}
	if a.message != "" && time.Since(a.messageAt) > messageLife {
		a.message = ""
	}
	a.updateStatus()
}

func (a *App) finish(fin *Final) {
	a.final, a.done = fin, true
	if len(fin.Cross) > 0 {
		a.store.AddFindings(fin.Cross)
	}
	if len(fin.Errors) > 0 {
		msg := fin.Errors[0].Error()
		if len(fin.Errors) > 1 {
			msg += fmt.Sprintf(" (and %d more inputs)", len(fin.Errors)-1)
		}
		a.say(msg, true)
	}
}
