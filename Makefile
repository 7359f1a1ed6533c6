# yunshu's commands. Every target installs what it needs first, so each works
# from a fresh clone; see README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Node 24 from the npm package node@24 comes first, whatever node the machine has.
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)
NODE := $(CURDIR)/node_modules/.bin/node
CONTROLPLANE := $(NODE) tools/controlplane/cli.ts

YUNSHU := $(NODE) bin/yunshu.js

.PHONY: help deps binaries pulumi prometheus netpol-analyzer console-page screenshots infra-preview infra-up infra-destroy test lint typecheck unit integration demo install run generate cluster-up cluster-down bench bench-fleet bench-controlplane faults

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-20s %s\n", $$1, $$2}'

deps: ## Install Debian and npm packages (Node 24 included) that are missing
	@scripts/install-deps.sh

binaries: deps ## Build (once, cached) or find etcd, kube-apiserver, kube-controller-manager, kubectl
	@$(CONTROLPLANE) binaries >/dev/null

pulumi: deps ## Build (once, cached) the Pulumi CLI and Kubernetes provider that infra/ runs with
	@$(NODE) tools/toolchain/pulumi.ts >/dev/null

prometheus: deps ## Build (once, cached) or find prometheus and promtool
	@$(NODE) tools/toolchain/prometheus.ts >/dev/null

netpol-analyzer: deps ## Build (once, cached) np-guard's netpol-analyzer, the tests' independent oracle for network reachability
	@$(NODE) tools/toolchain/netpol-analyzer.ts >/dev/null

console-page: deps ## Build (again only when its sources changed) the console's page into console/web/dist
	@$(NODE) console/web/build.ts

screenshots: deps binaries console-page ## Run the console's browser test and keep its screenshots in docs/console (the README shows them)
	@YUNSHU_SCREENSHOTS=$(CURDIR)/docs/console npx vitest run --project integration test/console/console.browser.int.test.ts

test: deps binaries pulumi prometheus netpol-analyzer console-page ## Everything: lint, type-check, unit and integration tests
	@npm test

lint: deps
	@npm run -s lint

typecheck: deps
	@npm run -s typecheck

unit: deps prometheus netpol-analyzer ## Unit tests only (no cluster)
	@npm run -s test:unit

integration: deps binaries pulumi prometheus netpol-analyzer console-page ## Integration tests only (real control planes)
	@npm run -s test:integration

demo: deps binaries ## Run yunshu: a hub and two member control planes, the operator, sample tenants (Ctrl-C to stop)
	@$(NODE) tools/demo.ts

# Clusters as code (infra/): each setting of the driver (node infra/deploy.ts --help)
# has its variable:
#   ENV=prod                the stacks ENV.<cluster> (required)
#   CLUSTERS=a,b            only these clusters, e.g. one city first
#   TOPOLOGY=file           the topology, relative to the repository (default infra/topology/hunan.yaml)
#   PARALLEL=N              member stacks at once (default 4)
#   SET="KEY=VALUE ..."     yunshu-infra config on every stack, each a --set: keepCrdsOnDestroy,
#                           awaitOperator (false on a control plane without nodes), awaitOperatorTimeoutSeconds
#   SECRETS_PROVIDER=URL    for new stacks, e.g. hashivault://yunshu (default: a passphrase)
#   WORK_DIR=dir            where the Pulumi.<stack>.yaml files go (default infra/)
# PULUMI_BACKEND_URL and PULUMI_CONFIG_PASSPHRASE(_FILE) come from the environment; see README.md.
INFRA = PATH="$$($(NODE) tools/toolchain/pulumi.ts):$$PATH" $(NODE) infra/deploy.ts
# One shell word, whatever the value holds.
quote = '$(subst ','\'',$(1))'
INFRA_ARGS = --env $(call quote,$(or $(ENV),$(error set ENV, e.g. make $@ ENV=prod))) \
	$(if $(CLUSTERS),--clusters $(call quote,$(CLUSTERS))) \
	$(if $(TOPOLOGY),--topology $(call quote,$(TOPOLOGY))) \
	$(if $(PARALLEL),--parallel $(call quote,$(PARALLEL))) \
	$(foreach setting,$(SET),--set $(call quote,$(setting))) \
	$(if $(SECRETS_PROVIDER),--secrets-provider $(call quote,$(SECRETS_PROVIDER))) \
	$(if $(WORK_DIR),--work-dir $(call quote,$(WORK_DIR)))

infra-preview: deps pulumi ## Preview the stacks of a topology: make infra-preview ENV=prod [CLUSTERS=a,b] [TOPOLOGY=file] [PARALLEL=N] [SET="KEY=VALUE ..."] [SECRETS_PROVIDER=URL] [WORK_DIR=dir]
	@$(INFRA) preview $(INFRA_ARGS)

infra-up: deps pulumi ## Provision and bootstrap clusters: the hub, then its members side by side (settings as infra-preview)
	@$(INFRA) up $(INFRA_ARGS)

infra-destroy: deps pulumi ## Destroy clusters' stacks: the members, then the hub (settings as infra-preview)
	@$(INFRA) destroy $(INFRA_ARGS)

install: deps ## Apply yunshu's CRDs, ClusterRoles and admission policies to the current kubeconfig's cluster
	@$(YUNSHU) install

run: deps ## Run the operator in the foreground against the current kubeconfig, as its ServiceAccount
	@$(YUNSHU) operator --as-operator --http-bind-address=127.0.0.1:8080 $(ARGS)

generate: deps ## Regenerate operator/api/generated.ts from crds/
	@$(NODE) scripts/generate-api-types.ts

cluster-up: deps binaries ## Start the local control plane in the background; eval "$$(make -s cluster-up)"
	@$(CONTROLPLANE) up

cluster-down: ## Stop the local control plane and remove its data
	@if [ -x "$(NODE)" ]; then $(CONTROLPLANE) down; fi

faults: deps binaries ## The fault battery at full size (20 kills, 10,000 generated specs, ...): make faults [SEED=N]
	@YUNSHU_FAULT_SIZE=full $(if $(SEED),YUNSHU_FAULT_SEED=$(SEED)) npx vitest run --project integration test/faults

bench: deps binaries ## Benchmark yunshu against a bare client: make bench [TENANTS=2000] [NAMESPACES=3] [WORKERS=32]
	@$(NODE) tools/bench/bench.ts --tenants $(or $(TENANTS),2000) --namespaces $(or $(NAMESPACES),3) --workers $(or $(WORKERS),32)

bench-fleet: deps binaries ## Benchmark the hub and city members: convergence, probe rounds, an outage, a restart; a sweep with slopes, or one size: make bench-fleet [MEMBERS=14 TENANTS=2000]
	@$(NODE) tools/bench/fleet-bench.ts $(if $(or $(MEMBERS),$(TENANTS)),--members $(or $(MEMBERS),14) --tenants $(or $(TENANTS),2000),--sizes sweep)

bench-controlplane: deps ## Benchmark: cold build (if needed), warm start-to-ready and stop times
	@$(CONTROLPLANE) bench $(or $(ROUNDS),5)
