package emulator

import "strings"

// routeNode is one path segment of a deployment's resource tree, compiled
// once per snapshot (snapshots never change).
type routeNode struct {
	res        *Resource
	literal    map[string]*routeNode
	param      *routeNode // {name}
	paramName  string
	greedy     *routeNode // {name+}
	greedyName string
}

func compileRoutes(snap *Snapshot) *routeNode {
	root := &routeNode{}
	for _, res := range snap.Resources {
		n := root
		for _, seg := range splitSegments(res.Path) {
			switch {
			case strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "+}"):
				if n.greedy == nil {
					n.greedy = &routeNode{}
					n.greedyName = seg[1 : len(seg)-2]
				}
				n = n.greedy
			case strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}"):
				if n.param == nil {
					n.param = &routeNode{}
					n.paramName = seg[1 : len(seg)-1]
				}
				n = n.param
			default:
				if n.literal == nil {
					n.literal = map[string]*routeNode{}
				}
				c := n.literal[seg]
				if c == nil {
					c = &routeNode{}
					n.literal[seg] = c
				}
				n = c
			}
		}
		n.res = res
	}
	return root
}

// router returns the compiled tree of snap, building it on first use.
func (d *dataPlane) router(snap *Snapshot) *routeNode {
	d.routersMu.Lock()
	defer d.routersMu.Unlock()
	if n := d.routers[snap]; n != nil {
		return n
	}
	// Old deployments stop being invoked once their stage moves on; a
	// bounded map forgets them without tracking stages.
	if len(d.routers) >= 256 {
		clear(d.routers)
	}
	n := compileRoutes(snap)
	d.routers[snap] = n
	return n
}

type pathParams struct {
	decoded map[string]string
	raw     map[string]string
}

func (p *pathParams) set(name, decoded, raw string) {
	if p.decoded == nil {
		p.decoded, p.raw = map[string]string{}, map[string]string{}
	}
	p.decoded[name], p.raw[name] = decoded, raw
}

// match finds the resource for a request path as API Gateway does: at each
// segment a literal child beats {param}, which beats {proxy+}; {proxy+}
// takes one or more remaining segments. When the more specific branch has
// no resource for the rest of the path, the next one is tried. Choosing the
// resource does not look at methods: a resource without the verb answers
// 403 rather than falling through to a {proxy+} sibling (inf.).
func (n *routeNode) match(segs, raw []string) (*routeNode, pathParams) {
	var p pathParams
	m := n.walk(segs, raw, &p)
	if m == nil {
		return nil, pathParams{}
	}
	return m, p
}

func (n *routeNode) walk(segs, raw []string, p *pathParams) *routeNode {
	if len(segs) == 0 {
		if n.res != nil {
			return n
		}
		return nil
	}
	if c := n.literal[segs[0]]; c != nil {
		if m := c.walk(segs[1:], raw[1:], p); m != nil {
			return m
		}
	}
	if n.param != nil {
		if m := n.param.walk(segs[1:], raw[1:], p); m != nil {
			p.set(n.paramName, segs[0], raw[0])
			return m
		}
	}
	if n.greedy != nil && n.greedy.res != nil {
		p.set(n.greedyName, strings.Join(segs, "/"), strings.Join(raw, "/"))
		return n.greedy
	}
	return nil
}
