"""Talks to `city-skill wyoming` through the real `wyoming` client package,
as Home Assistant's Wyoming conversation agent does (one connection per
transcript). Prints one JSON line per result; tests/it/wyoming.rs reads them.

    client.py describe HOST PORT
    client.py ask HOST PORT          < turns (JSON lines: text, language,
                                        context, follow: reuse the last reply's context)
    client.py hostile HOST PORT KIND  KIND: huge-header, garbage, big-data, unknown, no-text
    client.py concurrent HOST PORT N
"""

import asyncio
import json
import sys

from wyoming.asr import Transcript
from wyoming.client import AsyncTcpClient
from wyoming.error import Error
from wyoming.event import async_read_event
from wyoming.handle import Handled, NotHandled
from wyoming.info import Describe, Info

TIMEOUT = 20


async def describe(host, port):
    async with AsyncTcpClient(host, port) as client:
        await client.write_event(Describe().event())
        event = await asyncio.wait_for(client.read_event(), TIMEOUT)
    info = Info.from_event(event)
    return {
        "type": event.type,
        "handle": [
            {
                "name": p.name,
                "installed": p.installed,
                "version": p.version,
                "description": p.description,
                "attribution": p.attribution.name,
                "models": [
                    {"name": m.name, "installed": m.installed, "languages": m.languages}
                    for m in p.models
                ],
            }
            for p in info.handle
        ],
    }


async def transcript(host, port, text, language, context):
    async with AsyncTcpClient(host, port) as client:
        await client.write_event(
            Transcript(text=text, language=language, context=context).event()
        )
        event = await asyncio.wait_for(client.read_event(), TIMEOUT)
    if event is None:
        return {"type": None}
    if Handled.is_type(event.type):
        h = Handled.from_event(event)
        return {"type": event.type, "text": h.text, "context": h.context}
    if NotHandled.is_type(event.type):
        n = NotHandled.from_event(event)
        return {"type": event.type, "text": n.text, "context": n.context}
    return {"type": event.type, "data": event.data}


async def ask(host, port):
    last = None
    for line in sys.stdin:
        if not line.strip():
            continue
        turn = json.loads(line)
        context = turn.get("context")
        if turn.get("follow") and last is not None:
            context = last.get("context")
        last = await transcript(host, port, turn["text"], turn.get("language"), context)
        print(json.dumps(last, ensure_ascii=False), flush=True)


HOSTILE = {
    "huge-header": b'{"type": "transcript", "data": {"text": "' + b"a" * 70000 + b'"}}\n',
    "garbage": b"\x00\xff\xfe not json at all }{\n",
    "big-data": b'{"type": "transcript", "data_length": 2000000}\n',
    "unknown": b'{"type": "synthesize", "data": {"text": "hallo"}}\n',
    "no-text": b'{"type": "transcript", "data": {"language": "de"}}\n',
}


async def hostile(host, port, kind):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(HOSTILE[kind])
    await writer.drain()
    reply = await asyncio.wait_for(async_read_event(reader), TIMEOUT)
    rest = await asyncio.wait_for(reader.read(), TIMEOUT)
    writer.close()
    out = {"type": reply.type if reply else None, "closed": rest == b""}
    if reply is not None and Error.is_type(reply.type):
        out["code"] = Error.from_event(reply).code
    return out


async def concurrent(host, port, n):
    questions = [
        ("Wann hat das Bürgerbüro Pasing offen?", "de", "Bürgerbüro Pasing"),
        ("Wo ist das Fundbüro?", "de-DE", "Implerstraße"),
        ("where is the lost property office", "en", "Implerstraße"),
        ("what is the phone number of the Bürgerbüro Pasing", "en-GB", "089 233-96000"),
    ]

    async def one(i):
        text, language, want = questions[i % len(questions)]
        info = await describe(host, port)
        if info["type"] != "info" or not info["handle"]:
            return f"client {i}: describe gave {info}"
        r = await transcript(host, port, text, language, None)
        if r["type"] != "handled" or want not in (r.get("text") or ""):
            return f"client {i}: {text!r} gave {r}"
        return None

    results = await asyncio.gather(*(one(i) for i in range(n)), return_exceptions=True)
    failures = [repr(r) if isinstance(r, BaseException) else r for r in results]
    failures = [f for f in failures if f]
    return {"clients": n, "errors": len(failures), "failures": failures[:5]}


def main():
    mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode == "describe":
        print(json.dumps(asyncio.run(describe(host, port)), ensure_ascii=False))
    elif mode == "ask":
        asyncio.run(ask(host, port))
    elif mode == "hostile":
        print(json.dumps(asyncio.run(hostile(host, port, sys.argv[4]))))
    elif mode == "concurrent":
        print(json.dumps(asyncio.run(concurrent(host, port, int(sys.argv[4])))))
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
