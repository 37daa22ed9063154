#!/usr/bin/env python3
# Latency of batch verify (1,000 unknown ids; 1,000 x one known model) and of a training POST against a
# running embedded silo: python3 bench/batch_verify_latency.py PORT [REQUESTS]. Sequential, keep-alive,
# 50 warm-up requests each; compare two builds in the same run (issue 9 note).
import http.client, json, time, sys, statistics, uuid
port=int(sys.argv[1]); n=int(sys.argv[2]) if len(sys.argv) > 2 else 300
items=[{"model_id":"m-%s"%uuid.uuid4().hex,"environment":"production","weights_hash":"sha256:"+"a"*64} for _ in range(1000)]
batch=json.dumps({"items":items}).encode()
train=json.dumps({"weights_hash":"sha256:"+"b"*64,"metrics":{"accuracy":0.9,"loss":0.2},"card":{"owner":"x","tags":["a"]*50,"nested":{"k%d"%i:i for i in range(100)}}}).encode()
c=http.client.HTTPConnection("127.0.0.1",port)
def run(path, body, token, count):
    lat=[]
    for i in range(count):
        t=time.perf_counter()
        c.request("POST", path(i), body, {"Authorization":"Bearer "+token,"Content-Type":"application/json"})
        r=c.getresponse(); r.read()
        lat.append((time.perf_counter()-t)*1000)
        assert r.status < 300, r.status
    lat.sort(); return statistics.median(lat), lat[int(len(lat)*0.99)-1]
run(lambda i:"/v1/verify", batch, "dev-registry-token", 50)
b=run(lambda i:"/v1/verify", batch, "dev-registry-token", n)
run(lambda i:"/v1/models/w-%d/training"%i, train, "dev-trainer-token", 50)
t=run(lambda i:"/v1/models/t-%d/training"%i, train, "dev-trainer-token", n)
known=json.dumps({"items":[{"model_id":"w-0","environment":"production","weights_hash":"sha256:"+"a"*64}]*1000}).encode()
run(lambda i:"/v1/verify", known, "dev-registry-token", 50)
k=run(lambda i:"/v1/verify", known, "dev-registry-token", n)
print("batch verify 1000 x one known model: p50 %.2f ms p99 %.2f ms"%k)
print("batch verify 1000 unknown ids: p50 %.2f ms p99 %.2f ms; training POST (%d B body): p50 %.2f ms p99 %.2f ms"%(b[0],b[1],len(train),t[0],t[1]))
