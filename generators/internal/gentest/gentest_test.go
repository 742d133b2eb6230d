package gentest

import "testing"

func TestParseRejects(t *testing.T) {
	for name, content := range map[string]string{
		"bad.json":         `{"a": }`,
		"bad.yaml":         "a: [b",
		"bad.tf":           `resource "x" {`,
		"openapi.yaml":     "openapi: 3.0.1\npaths: {}\n",                                                                             // no info
		"swagger.json":     `{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": {}}}}}`, // no responses
		"openapi-ref.yaml": "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      responses: {'200': {description: ok}}\n",
	} {
		if _, err := Parse(name, []byte(content)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestParseAccepts(t *testing.T) {
	for name, content := range map[string]string{
		"ok.json":  `{"a": 1}`,
		"ok.yaml":  "a: 1\n",
		"ok.tf":    "resource \"x\" \"y\" {\n  a = 1\n}\n",
		"oas.yaml": "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\n",
		"other.ts": "not parsed",
	} {
		if _, err := Parse(name, []byte(content)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
