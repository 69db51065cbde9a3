# The original system's targets, for people used to them; each one delegates to an npm script or Compose.
# The two README commands (npm start, npm test) stay the way in; this file adds nothing they do not.
COMPOSE := docker compose -f deploy/compose.yaml --env-file deploy/.env
TICKER ?= ^GSPC
MODEL ?= ridge
HORIZON ?= 1

.PHONY: up up-core down train workflow test check stack stack-down

up: ## the full stack in containers (needs a Docker engine and deploy/.env, copied from deploy/.env.example)
	$(COMPOSE) --profile full up -d --wait

up-core: ## PostgreSQL, Redis, MinIO, API and worker only
	$(COMPOSE) --profile core up -d --wait

down:
	$(COMPOSE) --profile full --profile core down

train: ## make train TICKER=AAPL MODEL=gbdt HORIZON=5
	npx stockops train --ticker '$(TICKER)' --model $(MODEL) --horizon $(HORIZON)

workflow: ## the weekly retrain of every ticker, model and horizon, waited for
	npx stockops flow run retrain-all --wait

test:
	npm test

check:
	npm run check

stack: ## the same topology as processes, without Docker
	npm run stack

stack-down:
	npm run stack:down
