#!/usr/bin/env bash
# Points the Alexa skill package at the Lambda function `sam deploy` made:
# writes the stack's CitySkillFunctionArn output into
# skill-package/skill.json (manifest.apis.custom.endpoint.uri), so that
# the next `ask deploy` uploads a manifest with the right endpoint. The
# committed manifest has none: the first `ask deploy` creates the skill
# (whose ID the stack needs) before the function exists.
#
#   deploy/skill-endpoint.sh [STACK]     # STACK: default samconfig.toml's stack_name, else city-skill
#   deploy/skill-endpoint.sh --arn ARN   # a known ARN, without the AWS CLI
#
# Needs the AWS CLI (configured for the stack's account and region) and
# python3. SKILL_JSON overrides the manifest's path (tests).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
manifest=${SKILL_JSON:-skill-package/skill.json}

if [ "${1:-}" = "--arn" ]; then
    arn=${2:?usage: $0 --arn ARN}
else
    stack=${1:-}
    if [ -z "$stack" ] && [ -f samconfig.toml ]; then
        stack=$(sed -n 's/^stack_name *= *"\(.*\)"/\1/p' samconfig.toml | head -n 1)
    fi
    stack=${stack:-city-skill}
    arn=$(aws cloudformation describe-stacks --stack-name "$stack" \
        --query "Stacks[0].Outputs[?OutputKey=='CitySkillFunctionArn'].OutputValue" --output text)
fi
case "$arn" in
arn:aws*:lambda:*:*:function:*) ;;
*)
    echo "not a Lambda function ARN: '$arn' (does the stack have the CitySkillFunctionArn output?)" >&2
    exit 1
    ;;
esac

python3 - "$manifest" "$arn" <<'PY'
import json, sys
path, arn = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as f:
    skill = json.load(f)
skill["manifest"].setdefault("apis", {}).setdefault("custom", {})["endpoint"] = {"uri": arn}
with open(path, "w", encoding="utf-8") as f:
    json.dump(skill, f, ensure_ascii=False, indent=2)
    f.write("\n")
PY
echo "$manifest: endpoint $arn"
